import type { Address } from '../domain/common.js'

// North American area codes by zone (US and Canada). An area code that spans
// two zones is listed under the zone most of its numbers are in.
const NANP: Record<string, string> = {
  'America/New_York':
    '201 202 203 207 212 215 216 220 223 227 229 234 239 240 248 252 267 272 276 283 301 302 304 305 313 315 321 326 330 332 336 339 347 351 352 380 386 401 404 407 410 412 413 419 423 434 440 443 445 470 475 478 484 502 508 513 516 517 518 540 551 561 567 570 571 582 585 586 603 606 607 609 610 614 616 617 631 640 646 656 667 678 680 681 689 703 704 706 716 717 718 724 727 732 734 740 743 754 757 762 770 771 772 774 781 786 802 803 804 810 813 814 826 828 835 838 839 843 845 848 854 856 857 859 860 862 863 864 865 878 904 906 908 910 912 914 917 919 929 934 937 941 943 947 948 954 959 973 978 980 984 989 231 269',
  'America/Indiana/Indianapolis': '260 317 463 574 765 812 930',
  'America/Toronto':
    '226 249 289 343 365 382 416 437 519 548 613 647 683 705 742 753 905 942 263 354 367 418 438 450 468 514 579 581 819 873',
  'America/Halifax': '782 902',
  'America/St_Johns': '709 879',
  'America/Chicago':
    '205 251 256 334 659 938 479 501 870 217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 861 872 319 515 563 641 712 316 620 785 913 225 318 337 504 985 218 320 507 612 651 763 952 228 601 662 769 314 417 557 573 636 660 816 975 402 531 308 701 405 539 572 580 918 605 615 629 731 901 931 210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 936 940 945 956 972 979 262 274 414 534 608 715 920 270 364 850 448 219',
  'America/Winnipeg': '204 431 584',
  'America/Regina': '306 474 639',
  'America/Denver': '303 719 720 970 983 208 986 406 505 575 385 435 801 307 915',
  'America/Phoenix': '480 520 602 623 928',
  'America/Edmonton': '368 403 587 780 825',
  'America/Los_Angeles':
    '209 213 279 310 323 341 350 369 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714 747 760 805 818 820 831 840 858 909 916 925 949 951 702 725 775 458 503 541 971 206 253 360 425 509 564',
  'America/Vancouver': '236 250 257 604 672 778',
  'America/Anchorage': '907',
  'Pacific/Honolulu': '808',
  'America/Puerto_Rico': '787 939',
}

const areaCodeZone = new Map<string, string>()
for (const [zone, codes] of Object.entries(NANP)) for (const c of codes.split(' ')) areaCodeZone.set(c, zone)

// Countries with one civil time zone (the common ones a contact center dials).
const COUNTRY_ZONE: Record<string, string> = {
  GB: 'Europe/London',
  IE: 'Europe/Dublin',
  ES: 'Europe/Madrid',
  PT: 'Europe/Lisbon',
  FR: 'Europe/Paris',
  DE: 'Europe/Berlin',
  IT: 'Europe/Rome',
  NL: 'Europe/Amsterdam',
  BE: 'Europe/Brussels',
  LU: 'Europe/Luxembourg',
  CH: 'Europe/Zurich',
  AT: 'Europe/Vienna',
  DK: 'Europe/Copenhagen',
  SE: 'Europe/Stockholm',
  NO: 'Europe/Oslo',
  FI: 'Europe/Helsinki',
  PL: 'Europe/Warsaw',
  CZ: 'Europe/Prague',
  SK: 'Europe/Bratislava',
  HU: 'Europe/Budapest',
  RO: 'Europe/Bucharest',
  BG: 'Europe/Sofia',
  GR: 'Europe/Athens',
  HR: 'Europe/Zagreb',
  SI: 'Europe/Ljubljana',
  RS: 'Europe/Belgrade',
  UA: 'Europe/Kyiv',
  TR: 'Europe/Istanbul',
  IL: 'Asia/Jerusalem',
  AE: 'Asia/Dubai',
  SA: 'Asia/Riyadh',
  IN: 'Asia/Kolkata',
  PK: 'Asia/Karachi',
  CN: 'Asia/Shanghai',
  HK: 'Asia/Hong_Kong',
  JP: 'Asia/Tokyo',
  KR: 'Asia/Seoul',
  SG: 'Asia/Singapore',
  MY: 'Asia/Kuala_Lumpur',
  TH: 'Asia/Bangkok',
  VN: 'Asia/Ho_Chi_Minh',
  PH: 'Asia/Manila',
  NZ: 'Pacific/Auckland',
  ZA: 'Africa/Johannesburg',
  NG: 'Africa/Lagos',
  KE: 'Africa/Nairobi',
  EG: 'Africa/Cairo',
  MA: 'Africa/Casablanca',
  AR: 'America/Argentina/Buenos_Aires',
  CL: 'America/Santiago',
  CO: 'America/Bogota',
  PE: 'America/Lima',
  VE: 'America/Caracas',
  UY: 'America/Montevideo',
  DO: 'America/Santo_Domingo',
  CR: 'America/Costa_Rica',
  GT: 'America/Guatemala',
  PR: 'America/Puerto_Rico',
}

/** Countries spanning several zones: when the zone is unknown, a check must hold in all of them. */
export const COUNTRY_ZONES: Record<string, readonly string[]> = {
  US: [
    'America/New_York',
    'America/Chicago',
    'America/Denver',
    'America/Phoenix',
    'America/Los_Angeles',
    'America/Anchorage',
    'Pacific/Honolulu',
  ],
  CA: [
    'America/St_Johns',
    'America/Halifax',
    'America/Toronto',
    'America/Winnipeg',
    'America/Regina',
    'America/Edmonton',
    'America/Vancouver',
  ],
  MX: ['America/Cancun', 'America/Mexico_City', 'America/Chihuahua', 'America/Hermosillo', 'America/Tijuana'],
  BR: ['America/Noronha', 'America/Sao_Paulo', 'America/Manaus', 'America/Rio_Branco'],
  AU: ['Australia/Sydney', 'Australia/Brisbane', 'Australia/Adelaide', 'Australia/Darwin', 'Australia/Perth'],
  RU: ['Europe/Kaliningrad', 'Europe/Moscow', 'Asia/Yekaterinburg', 'Asia/Novosibirsk', 'Asia/Vladivostok'],
}

const US_STATE_ZONE: Record<string, string> = {
  CT: 'America/New_York',
  DE: 'America/New_York',
  DC: 'America/New_York',
  FL: 'America/New_York',
  GA: 'America/New_York',
  ME: 'America/New_York',
  MD: 'America/New_York',
  MA: 'America/New_York',
  MI: 'America/New_York',
  NH: 'America/New_York',
  NJ: 'America/New_York',
  NY: 'America/New_York',
  NC: 'America/New_York',
  OH: 'America/New_York',
  PA: 'America/New_York',
  RI: 'America/New_York',
  SC: 'America/New_York',
  VT: 'America/New_York',
  VA: 'America/New_York',
  WV: 'America/New_York',
  IN: 'America/Indiana/Indianapolis',
  KY: 'America/New_York',
  AL: 'America/Chicago',
  AR: 'America/Chicago',
  IL: 'America/Chicago',
  IA: 'America/Chicago',
  KS: 'America/Chicago',
  LA: 'America/Chicago',
  MN: 'America/Chicago',
  MS: 'America/Chicago',
  MO: 'America/Chicago',
  NE: 'America/Chicago',
  ND: 'America/Chicago',
  OK: 'America/Chicago',
  SD: 'America/Chicago',
  TN: 'America/Chicago',
  TX: 'America/Chicago',
  WI: 'America/Chicago',
  CO: 'America/Denver',
  ID: 'America/Boise',
  MT: 'America/Denver',
  NM: 'America/Denver',
  UT: 'America/Denver',
  WY: 'America/Denver',
  AZ: 'America/Phoenix',
  CA: 'America/Los_Angeles',
  NV: 'America/Los_Angeles',
  OR: 'America/Los_Angeles',
  WA: 'America/Los_Angeles',
  AK: 'America/Anchorage',
  HI: 'Pacific/Honolulu',
  PR: 'America/Puerto_Rico',
}

const CA_PROVINCE_ZONE: Record<string, string> = {
  NL: 'America/St_Johns',
  NS: 'America/Halifax',
  NB: 'America/Halifax',
  PE: 'America/Halifax',
  QC: 'America/Toronto',
  ON: 'America/Toronto',
  MB: 'America/Winnipeg',
  SK: 'America/Regina',
  AB: 'America/Edmonton',
  BC: 'America/Vancouver',
  YT: 'America/Whitehorse',
  NT: 'America/Yellowknife',
  NU: 'America/Iqaluit',
}

/** The IANA zone of a phone number, when its country and (for NANP) area code tell it. */
export function zoneFromPhone(e164: string, country?: string): string | undefined {
  if (e164.startsWith('+1') && (country === 'US' || country === 'CA' || country === 'PR' || !country)) {
    return areaCodeZone.get(e164.slice(2, 5))
  }
  return country ? COUNTRY_ZONE[country] : undefined
}

/** The IANA zone of a postal address, from its country and, where needed, state or province. */
export function zoneFromAddress(address: Address | undefined): string | undefined {
  if (!address?.country) return undefined
  const region = address.region?.trim().toUpperCase()
  if (address.country === 'US') return region ? US_STATE_ZONE[region] : undefined
  if (address.country === 'CA') return region ? CA_PROVINCE_ZONE[region] : undefined
  return COUNTRY_ZONE[address.country]
}

/** Every zone a contact might be in when only the country is known. */
export function zonesOfCountry(country: string | undefined): readonly string[] {
  if (!country) return []
  const many = COUNTRY_ZONES[country]
  if (many) return many
  const one = COUNTRY_ZONE[country]
  return one ? [one] : []
}
