// The import graph's rules, checked by `npm run lint` (depcruise). Layers from low to high:
//   domain → db → activities → workflows → api, with config.ts shared at the bottom and temporal/ as the
//   infrastructure that wires activities and workflows to the server; bench/, test/ and scripts/ on top.
//   channels/ (e-mail, webhooks, templates, the mail catcher) sits beside db/: it talks to the outside
//   world for the activities and the API and knows only domain/.
// An import may only point down, and no module may reach itself through its imports.
const TOP = '^(bench|test|scripts)/';

/** One forbidden kind of import: from the modules `from` matches to the modules `to` matches. */
const forbid = (name, comment, from, to) => ({ name, severity: 'error', comment, from, to });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    forbid('no-circular', 'A circle of imports has no bottom: nothing in it can be understood, tested or moved alone.',
      {}, { circular: true }),
    forbid('domain-is-pure', 'domain/ holds the business rules and runs inside the workflow sandbox: it imports only domain/ (and packages).',
      { path: '^domain/' }, { path: '^(db|activities|workflows|api|temporal|channels|bench|test|scripts|console)/|^config\\.ts$' }),
    forbid('channels-know-only-domain', 'channels/ words and carries messages (SMTP, webhooks); it imports domain/ and channels/ only, never a table or a process.',
      { path: '^channels/' }, { path: '^(db|activities|workflows|api|temporal|bench|test|scripts)/|^config\\.ts$' }),
    forbid('db-below-activities', 'db/ (schema, repositories, migrations) imports only domain/, db/ and config.ts.',
      { path: '^db/' }, { path: '^(activities|workflows|api|temporal|channels|bench|test|scripts)/' }),
    forbid('activities-below-workflows', 'activities/ are thin adapters over db/: they import domain/, db/, config.ts and each other, never a workflow, a route or the worker.',
      { path: '^activities/' }, { path: '^(workflows|api|temporal|bench|test|scripts)/' }),
    forbid('workflows-import-domain', 'Workflow code is deterministic and bundled: it imports domain/ and workflows/ only (and activities as types, below).',
      { path: '^workflows/' }, { path: '^(db|api|temporal|channels|bench|test|scripts)/|^config\\.ts$' }),
    forbid('workflows-import-activities-as-types', 'Workflows call activities through proxyActivities: `import type` only, so no activity code enters the bundle.',
      { path: '^workflows/' }, { path: '^activities/', dependencyTypesNot: ['type-only'] }),
    forbid('temporal-wires-not-implements', 'temporal/ connects activities and the workflow bundle to the server; the API and the tests sit above it.',
      { path: '^temporal/' }, { path: '^(api|bench|test|scripts)/' }),
    forbid('api-uses-definitions-not-workflows', "Routes talk to processes through their definitions in domain/processes/, never a workflow's implementation.",
      { path: '^api/' }, { path: '^workflows/' }),
    forbid('api-reads-db-not-activities', "Activities are the worker's side; a route that needs the same write calls the db/ repository the activity uses.",
      { path: '^api/' }, { path: '^activities/', dependencyTypesNot: ['type-only'] }),
    forbid('nothing-imports-the-top', 'bench/, test/ and scripts/ use the application; the application never uses them.',
      { pathNot: TOP }, { path: TOP }),
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
