// Helpers for the few SQL fragments built from the registry. Only identifiers from
// our own specs pass through here; values always travel as $n parameters.
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Quotes an identifier, refusing anything that is not a plain lower-case name. */
export function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Refusing unsafe SQL identifier: ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/** A name from our specs (checked like an identifier) as a string literal: a jsonb key, a field name. */
export function nameLiteral(name: string): string {
  ident(name);
  return `'${name}'`;
}
