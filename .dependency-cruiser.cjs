// The import graph's rules, checked by `npm run lint` (depcruise). Layers from low to high:
//   domain → db → activities → workflows → api, with config.ts shared at the bottom and temporal/ as the
//   infrastructure that wires activities and workflows to the server; bench/, test/ and scripts/ on top.
// An import may only point down, and no module may reach itself through its imports.
const TOP = '^(bench|test|scripts)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A circle of imports has no bottom: nothing in it can be understood, tested or moved alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ holds the business rules and runs inside the workflow sandbox: it imports only domain/ (and packages).',
      from: { path: '^domain/' },
      to: { path: '^(db|activities|workflows|api|temporal|bench|test|scripts|console)/|^config\\.ts$' },
    },
    {
      name: 'db-below-activities',
      severity: 'error',
      comment: 'db/ (schema, repositories, migrations) imports only domain/, db/ and config.ts.',
      from: { path: '^db/' },
      to: { path: '^(activities|workflows|api|temporal|bench|test|scripts)/' },
    },
    {
      name: 'activities-below-workflows',
      severity: 'error',
      comment: 'activities/ are thin adapters over db/: they import domain/, db/, config.ts and each other, never a workflow, a route or the worker.',
      from: { path: '^activities/' },
      to: { path: '^(workflows|api|temporal|bench|test|scripts)/' },
    },
    {
      name: 'workflows-import-domain',
      severity: 'error',
      comment: 'Workflow code is deterministic and bundled: it imports domain/ and workflows/ only (and activities as types, below).',
      from: { path: '^workflows/' },
      to: { path: '^(db|api|temporal|bench|test|scripts)/|^config\\.ts$' },
    },
    {
      name: 'workflows-import-activities-as-types',
      severity: 'error',
      comment: 'Workflows call activities through proxyActivities: `import type` only, so no activity code enters the bundle.',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'temporal-wires-not-implements',
      severity: 'error',
      comment: 'temporal/ connects activities and the workflow bundle to the server; the API and the tests sit above it.',
      from: { path: '^temporal/' },
      to: { path: '^(api|bench|test|scripts)/' },
    },
    {
      name: 'api-uses-definitions-not-workflows',
      severity: 'error',
      comment: "Routes talk to processes through their definitions in domain/processes/, never a workflow's implementation.",
      from: { path: '^api/' },
      to: { path: '^workflows/' },
    },
    {
      name: 'api-reads-db-not-activities',
      severity: 'error',
      comment: "Activities are the worker's side; a route that needs the same write calls the db/ repository the activity uses.",
      from: { path: '^api/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'nothing-imports-the-top',
      severity: 'error',
      comment: 'bench/, test/ and scripts/ use the application; the application never uses them.',
      from: { pathNot: TOP },
      to: { path: TOP },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|db/migrations|\\.cache|\\.data|dist|test-artifacts)/' },
    // Type-only imports are part of the graph too (so `import type` circles are found), and are told apart.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
  },
};
