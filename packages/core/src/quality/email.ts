// The one e-mail rule lives in the domain (the schema uses it too).
export { checkEmail as normalizeEmail, type EmailCheck } from '../domain/email.js'
