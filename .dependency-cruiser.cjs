/**
 * The import rules of the tree, checked by `npm test` (npm run deps): a
 * wrong import fails the build.
 *
 * - The common folders (core, db, http, access, email) import no feature.
 * - core imports nothing of the project; db, access and email no HTTP;
 *   email (the outbox, the mailer) writes through db, and knows no access rule.
 * - A feature imports the common folders and only the features it declares
 *   below: an acyclic list (checked when this file loads).
 * - A function imports its own feature's routes, never the whole route list.
 */

/** Which features each feature may import. Add a feature here when you add its folder. */
const featureDependencies = {
  audit: [],
  documents: [],
  numbers: ['billing', 'audit'],
  members: ['numbers', 'billing', 'audit'],
  workspaces: ['members', 'billing', 'audit'],
  invitations: ['workspaces', 'members', 'numbers', 'billing', 'audit'],
  suppressions: ['audit'],
  domains: ['invitations', 'members', 'billing', 'audit'],
  porting: ['numbers', 'billing', 'audit'],
  billing: ['audit'],
};

function assertAcyclic(graph) {
  const state = {};
  const visit = (feature, path) => {
    if (state[feature] === 'done') return;
    if (state[feature] === 'visiting')
      throw new Error(`Feature dependencies form a cycle: ${[...path, feature].join(' → ')}`);
    if (!graph[feature]) throw new Error(`Feature ${feature} is not declared in .dependency-cruiser.cjs`);
    state[feature] = 'visiting';
    for (const next of graph[feature]) visit(next, [...path, feature]);
    state[feature] = 'done';
  };
  for (const feature of Object.keys(graph)) visit(feature, []);
}
assertAcyclic(featureDependencies);

const common = '^shared/(core|db|http|access|email)/';

module.exports = {
  forbidden: [
    {
      name: 'common-imports-no-feature',
      comment: 'core, db, http, access and email serve every feature and import none (nor the route list).',
      severity: 'error',
      from: { path: common },
      to: { path: '^shared/(features/|routes\\.ts$)' },
    },
    {
      name: 'core-imports-nothing-of-the-project',
      comment: 'core is the bottom: errors, context, ids, time, text, logger.',
      severity: 'error',
      from: { path: '^shared/core/' },
      to: { path: '^(shared/(?!core/)|functions/|infra/|scripts/|test/)' },
    },
    {
      name: 'no-http-below-http',
      comment: 'core, db, access and email know nothing of HTTP; the HTTP layer uses them.',
      severity: 'error',
      from: { path: '^shared/(core|db|access|email)/' },
      to: { path: '^shared/http/' },
    },
    {
      name: 'db-uses-only-core',
      severity: 'error',
      from: { path: '^shared/db/' },
      to: { path: '^shared/(access|email|http)/' },
    },
    {
      name: 'email-uses-only-core-and-db',
      severity: 'error',
      from: { path: '^shared/email/' },
      to: { path: '^shared/(access|http)/' },
    },
    ...Object.entries(featureDependencies).map(([feature, dependencies]) => ({
      name: `feature-${feature}-imports-only-its-declared-features`,
      comment: `${feature} may import: ${dependencies.join(', ') || 'no other feature'} (featureDependencies).`,
      severity: 'error',
      from: { path: `^shared/features/${feature}/` },
      to: {
        path: '^shared/features/',
        pathNot: `^shared/features/(${[feature, ...dependencies].join('|')})/`,
      },
    })),
    {
      name: 'features-are-declared',
      comment: 'Every folder under shared/features/ has its entry in featureDependencies.',
      severity: 'error',
      from: {
        path: '^shared/features/',
        pathNot: `^shared/features/(${Object.keys(featureDependencies).join('|')})/`,
      },
      to: {},
    },
    {
      name: 'functions-import-their-feature-routes-only',
      comment:
        'A function bundles its own feature’s routes and schemas, never every feature’s (shared/routes.ts).',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^(shared/routes\\.ts$|functions/|infra/|scripts/|test/)' },
    },
    {
      name: 'shared-code-stands-alone',
      comment: 'shared/ is what the functions run: it imports no handler, infrastructure, script or test.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(functions|infra|scripts|test)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // TypeScript 7 has no compiler API: swc parses the sources (type-only imports included).
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|cdk\\.out|bench/bundles|\\.data)/' },
    moduleSystems: ['es6', 'cjs'],
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
