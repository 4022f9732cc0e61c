#!/usr/bin/env node
// Lints Cypher with Neo4j's own parser and semantic analyser
// (@neo4j-cypher/language-support, pinned in package.json), so statements are checked in CI
// without a Neo4j server.
//
//   node lint.cjs --statements statements.json   # output of `python -m graph.cypher --json`
//   node lint.cjs --schema statements.json --file some.cypher   # ';'-separated statements
//
// Every diagnostic fails the run: errors (syntax, undefined variables, type errors) and, since
// the linter is given our schema, warnings too (unknown label, relationship type or property
// key). On top of that, chainkg's own rules: variable-length patterns must be bounded and
// values must travel as $parameters, never as string literals.
"use strict";

const fs = require("node:fs");
const { lintCypherQuery, parseStatementsStrs } = require("@neo4j-cypher/language-support");

const SEVERITY = { 1: "error", 2: "warning", 3: "info", 4: "hint" };

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    if (!["--statements", "--schema", "--file"].includes(key) || i + 1 >= argv.length) {
      usage(`unexpected argument ${key}`);
    }
    args[key.slice(2)] = argv[i + 1];
  }
  if (!args.statements && !args.file) usage("nothing to lint");
  return args;
}

function usage(message) {
  process.stderr.write(
    `cypher-lint: ${message}\n` +
      "usage: lint.cjs --statements FILE.json | --schema FILE.json --file FILE.cypher\n",
  );
  process.exit(2);
}

function readJson(path) {
  const text = path === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(path, "utf8");
  return JSON.parse(text);
}

function paramsOf(text) {
  return [...new Set([...text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))];
}

function statementsFromFile(path) {
  const source = fs.readFileSync(path, "utf8");
  return parseStatementsStrs(source)
    .map((text) => text.trim())
    .filter((text) => text.length > 0)
    .map((text, i) => ({ name: `${path}#${i + 1}`, text, params: paramsOf(text) }));
}

// chainkg's own rules, which Neo4j's linter does not enforce.
function houseProblems(text) {
  const problems = [];
  const unbounded = /\[[^\]]*\*\s*(\d*\s*\.\.\s*)?\]/;
  if (unbounded.test(text)) {
    problems.push("unbounded variable-length pattern: give it an upper bound, e.g. *1..6");
  }
  const quantifier = /\)\s*(\{\s*\d*\s*,\s*\}|[+*]\s*(?:[(<-]|(?:RETURN|WHERE|WITH|MATCH)\b))/i;
  if (quantifier.test(text)) {
    problems.push("unbounded quantified path pattern: give it an upper bound, e.g. {1,6}");
  }
  const literal = /'((?:[^'\\]|\\.)+)'|"((?:[^"\\]|\\.)+)"/.exec(text);
  if (literal) {
    problems.push(`string literal ${literal[0]}: pass values as $parameters`);
  }
  return problems;
}

function position(text, offset) {
  const before = text.slice(0, offset).split("\n");
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

function lintOne(statement, schema) {
  const parameters = Object.fromEntries(statement.params.map((p) => [p, null]));
  const { diagnostics } = lintCypherQuery(statement.text, { ...schema, parameters });
  const found = diagnostics.map(
    (d) =>
      `${SEVERITY[d.severity] || "problem"} at ${position(statement.text, d.offsets.start)}: ` +
      d.message,
  );
  return found.concat(houseProblems(statement.text).map((m) => `chainkg rule: ${m}`));
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  let schema = {};
  let statements = [];
  if (args.statements) {
    const payload = readJson(args.statements);
    schema = payload.schema;
    statements = payload.statements;
  }
  if (args.schema) schema = readJson(args.schema).schema;
  if (args.file) statements = statements.concat(statementsFromFile(args.file));

  let failed = 0;
  for (const statement of statements) {
    const problems = lintOne(statement, schema);
    if (problems.length === 0) continue;
    failed += 1;
    process.stdout.write(`✗ ${statement.name}\n  ${statement.text}\n`);
    for (const problem of problems) process.stdout.write(`  - ${problem}\n`);
  }
  const verdict = failed ? `${failed} with problems` : "all clean";
  process.stdout.write(`cypher-lint: ${statements.length} statement(s) checked, ${verdict}\n`);
  process.exit(failed ? 1 : 0);
}

main();
