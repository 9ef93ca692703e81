/** PUT /v1/submissions/:id/selection: a student marks a submission for the private board. */
import { findOverride, findSubmissionForSelection, setSelection } from '@mljudge/db';
import { submissionWindow } from '@mljudge/grading';
import { definitionOf } from '@mljudge/scoring';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../plugins/auth.ts';
import { AppError, notFound } from '../../problems/app-error.ts';
import { errorResponses, IdParams } from '../../schemas/common.ts';
import { Selection, SelectionSaved } from './schemas.ts';

const REFUSALS = {
  'not-found': () => notFound('Submission'),
  'not-scored': () =>
    new AppError('SELECTION_NOT_SCORED', 'Only scored submissions can be selected for the private board.'),
  late: () => new AppError('SELECTION_LATE', 'Late submissions are not ranked and cannot be selected.'),
} as const;

export default async function selectionRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  typed.put(
    '/v1/submissions/:id/selection',
    {
      schema: {
        summary: 'Select a submission for the private board (or unselect it)',
        description:
          "Up to the task's selection limit (default 2); with none selected, your best public ones count. Closes at your deadline.",
        tags: ['submissions'],
        params: IdParams,
        body: Selection,
        response: { 200: SelectionSaved, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const submission = await findSubmissionForSelection(services.db, request.params.id);
      if (!submission || submission.userId !== principal.userId) throw notFound('Submission');
      const rules = definitionOf(submission.task);
      const override = await findOverride(services.db, submission.taskId, principal.userId);
      const window = submissionWindow(
        services.now(),
        { deadline: rules.deadline, latePolicy: 'refuse' },
        override?.deadline,
      );
      if (window.state === 'closed') {
        throw new AppError('SELECTION_CLOSED', `Selection closed at the deadline, ${window.deadline.toISOString()}.`);
      }
      const outcome = await setSelection(
        services.db,
        submission.id,
        principal.userId,
        request.body.selected,
        rules.selectionLimit,
      );
      if (outcome.kind === 'limit-reached') {
        throw new AppError(
          'SELECTION_LIMIT',
          `You can select at most ${rules.selectionLimit} submissions; unselect one first.`,
          { limit: rules.selectionLimit },
        );
      }
      if (outcome.kind !== 'ok') throw REFUSALS[outcome.kind]();
      return {
        id: submission.id,
        selected: request.body.selected,
        selectedCount: outcome.selectedCount,
        limit: rules.selectionLimit,
      };
    },
  );
}
