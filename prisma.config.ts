// Prisma CLI configuration. The URL is read only by commands that talk to a database
// (`prisma migrate deploy` in the Docker image); `prisma generate` needs none.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/mljudge' },
});
