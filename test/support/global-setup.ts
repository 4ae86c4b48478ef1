import type { TestProject } from 'vitest/node';
import { ensurePgliteTemplate, ensurePostgresTemplate, templateVersion } from './templates.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string | null;
  }
}

export default async function setup(project: TestProject) {
  const version = templateVersion();
  const started = Date.now();
  const [pgliteTemplate, postgresTemplate] = await Promise.all([
    ensurePgliteTemplate(version),
    process.env.TEST_DATABASE_URL ? ensurePostgresTemplate(process.env.TEST_DATABASE_URL, version) : null,
  ]);
  const took = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`test databases ready (template ${version}, ${took} s; PostgreSQL: ${postgresTemplate ?? 'not configured'})`);
  project.provide('pgliteTemplate', pgliteTemplate);
  project.provide('postgresTemplate', postgresTemplate);
}
