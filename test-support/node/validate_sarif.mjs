// Validates a SARIF log (argv[2]) against the official SARIF 2.1.0 schema
// (sarif-2.1.0-rtm.5.json, as shipped in @microsoft/jest-sarif) with ajv.
// Prints "valid" or the errors; exit status 0 or 1.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
const require = createRequire(import.meta.url)
const Ajv = require('ajv')
const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json')
const ajv = new Ajv({ allErrors: true, schemaId: 'auto' })
ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'))
const validate = ajv.compile(schema)
const log = JSON.parse(readFileSync(process.argv[2], 'utf8'))
if (validate(log)) {
  console.log('valid')
} else {
  console.log(JSON.stringify(validate.errors, null, 2))
  process.exit(1)
}
