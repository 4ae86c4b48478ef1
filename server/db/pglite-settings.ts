// PostgreSQL settings of the embedded database, beside PGlite's own start parameters.
// PostgreSQL's default 128 MB of shared buffers is memory the process holds from the start
// (PGlite touches all of its WASM heap); this product's data is far smaller, and pages not
// in the buffers still come from the operating system's file cache.
export const PGLITE_SETTINGS = ['-c', 'shared_buffers=32MB'];
