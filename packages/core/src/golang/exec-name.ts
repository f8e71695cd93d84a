/**
 * The file name `go build -o DIR` gives a main package's binary (cmd/go's DefaultExecName in
 * module mode): the last element of the import path, or the one before it when the last is a
 * major version suffix (`example.com/tool/v2` → `tool`), plus `.exe` for Windows.
 */
export function goExecName(importPath: string, goos?: string): string {
  const elems = importPath.split('/');
  const last = elems.at(-1) ?? '';
  const name = elems.length > 1 && /^v(?:[2-9]|[1-9][0-9]+)$/.test(last) ? (elems.at(-2) ?? last) : last;
  return goos === 'windows' ? `${name}.exe` : name;
}
