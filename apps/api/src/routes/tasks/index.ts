/** The tasks resource: tasks and their boards, bundles, and the TAs' task tools. */
import type { FastifyInstance } from 'fastify';
import bundleUploadRoute from './bundle-upload.ts';
import taskDataRoutes from './data.ts';
import leaderboardRoute from './leaderboard.ts';
import taskReadRoutes from './read.ts';
import taskStaffRoutes from './staff.ts';

export default async function taskRoutes(app: FastifyInstance) {
  await app.register(taskReadRoutes);
  await app.register(leaderboardRoute);
  await app.register(bundleUploadRoute);
  await app.register(taskDataRoutes);
  await app.register(taskStaffRoutes);
}
