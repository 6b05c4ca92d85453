// Oracle for keyless's policy evaluator: @cloud-copilot/iam-simulate's decision for each
// case. Reads {"cases": [Simulation, ...]} from the file named by argv[2]; writes one
// line per case: the overall result ("Allowed", "ImplicitlyDenied", "ExplicitlyDenied")
// or "error: <message>" when iam-simulate refuses the input.
// With --bench N: runs every case N times and prints evaluations per second.
import { readFileSync } from 'node:fs'
import { runSimulation } from '@cloud-copilot/iam-simulate'

const { cases } = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const benchIdx = process.argv.indexOf('--bench')
if (benchIdx > 0) {
  const rounds = Number(process.argv[benchIdx + 1] || 1)
  const t0 = performance.now()
  for (let r = 0; r < rounds; r++) for (const c of cases) await runSimulation(c, {})
  const secs = (performance.now() - t0) / 1000
  console.log(JSON.stringify({ evaluations: rounds * cases.length, seconds: secs, per_second: (rounds * cases.length) / secs }))
} else {
  const out = []
  for (const c of cases) {
    const r = await runSimulation(c, {})
    if (r.resultType === 'error') out.push('error: ' + JSON.stringify(r.errors).slice(0, 300))
    else out.push(r.overallResult)
  }
  process.stdout.write(out.join('\n') + '\n')
}
