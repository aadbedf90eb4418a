import { createRequire } from 'node:module';

let builtinRequire: NodeJS.Require | undefined;

/**
 * Loads one of Node's built-in modules synchronously, when first needed rather than when the
 * package is imported: for a built-in that costs more to load than the code that needs it, and
 * that is needed from a synchronous call. `process.getBuiltinModule` would do this, but it came
 * in Node 20.16, and `require` does not exist in an ES module. The `require` is made at the first
 * call too, since making it starts Node's CommonJS loader, about a tenth of the package's import.
 * Built-in names resolve the same from anywhere, so the path `createRequire` is given (Node's own
 * binary, which is always absolute) only has to be a valid one: `import.meta.url` does not exist
 * in the CommonJS build.
 */
export function requireBuiltin(name: string): unknown {
  builtinRequire ??= createRequire(process.execPath);
  return builtinRequire(name);
}
