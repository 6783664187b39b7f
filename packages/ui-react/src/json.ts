/**
 * A domain type as it arrives over HTTP: dates are ISO strings (JSON has no
 * dates), everything else keeps its shape and brands. Components take props in
 * this form so a host passes the client's responses straight in.
 */
export type Json<T> = T extends string | number | boolean | null | undefined
  ? T // branded ids stay branded
  : T extends Date
    ? string
    : T extends ReadonlyArray<infer U>
      ? ReadonlyArray<Json<U>>
      : T extends object
        ? { [K in keyof T]: Json<T[K]> }
        : T
