/**
 * Upload with a progress bar. The size limit is checked here first (no wasted upload); everything else
 * is the server's to judge: a malformed file comes back as a rejected submission with line and column,
 * and never costs quota.
 */
import { useRef, useState, type FormEvent } from 'react';
import { problemOf, taskPath, type UploadProgress, uploadSubmission } from '../api.ts';
import { formatBytes } from '../format.ts';
import type { Problem, Quota, Submission, Task } from '../types.ts';
import { ProblemMessage } from './ProblemMessage.tsx';

// A program task reads whatever file its description names (HW12: a .npy), so any file is offered.
const ACCEPT: Record<Task['format'], string> = {
  csv: '.csv,text/csv',
  text: '.txt,text/plain',
  onnx: '.onnx',
  program: '',
  images: '.tgz,.tar.gz,.zip,application/gzip,application/zip',
};
const FILE_LABEL: Record<Task['format'], string> = {
  csv: 'Prediction file (CSV',
  text: 'Prediction file (TEXT',
  onnx: 'Prediction file (ONNX model',
  program: 'Your file (as the task says',
  images: 'Image archive (.tgz or .zip',
};

export function UploadBox({
  task,
  onUploaded,
}: {
  task: Task;
  onUploaded: (submission: Submission, quota: Quota) => void;
}) {
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const abort = useRef<AbortController | null>(null);
  const uploading = progress !== null;
  const outOfQuota = task.quota !== undefined && task.quota.remaining <= 0;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const file = (form.elements.namedItem('file') as HTMLInputElement).files?.[0];
    const message = (form.elements.namedItem('message') as HTMLInputElement).value;
    setProblem(null);
    if (!file) return setProblem({ status: 400, code: 'FILE_MISSING', detail: 'Choose a file to upload.' });
    if (file.size > task.maxUploadBytes) {
      return setProblem({
        status: 413,
        code: 'UPLOAD_TOO_LARGE',
        detail: `${file.name} is ${formatBytes(file.size)}; this task takes files up to ${formatBytes(task.maxUploadBytes)}.`,
      });
    }
    abort.current = new AbortController();
    setProgress({ loaded: 0, total: file.size });
    try {
      const { submission, quota } = await uploadSubmission(
        taskPath(task.course, task.slug, '/submissions'),
        file,
        message,
        setProgress,
        abort.current.signal,
      );
      form.reset();
      onUploaded(submission, quota);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setProgress(null);
      abort.current = null;
    }
  };

  const percent = progress && progress.total > 0 ? Math.round((progress.loaded / progress.total) * 100) : 0;
  return (
    <form className="upload" onSubmit={(event) => void submit(event)} aria-labelledby="upload-title">
      <h2 id="upload-title">Upload a submission</h2>
      <label htmlFor="upload-file">
        {FILE_LABEL[task.format]}, up to {formatBytes(task.maxUploadBytes)})
      </label>
      <input id="upload-file" name="file" type="file" accept={ACCEPT[task.format]} required disabled={uploading} />
      <label htmlFor="upload-message">
        Note to yourself <span className="muted">(optional)</span>
      </label>
      <input
        id="upload-message"
        name="message"
        type="text"
        maxLength={500}
        placeholder="e.g. lr=1e-3, 3 layers"
        disabled={uploading}
      />
      <div className="upload-progress">
        <progress max={100} value={percent} aria-label="Upload progress" hidden={!uploading} />
        <span className="small muted" aria-live="polite">
          {uploading
            ? `Uploading… ${percent}% (${formatBytes(progress.loaded)} of ${formatBytes(progress.total)})`
            : '\u00a0'}
        </span>
      </div>
      {problem && <ProblemMessage problem={problem} title="Upload not accepted" />}
      <div className="row">
        <button type="submit" className="primary" disabled={uploading || outOfQuota}>
          {outOfQuota ? 'No submissions left today' : 'Upload and score'}
        </button>
        {uploading && (
          <button type="button" onClick={() => abort.current?.abort()}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
