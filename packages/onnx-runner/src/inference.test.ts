import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { argmaxRows, InferenceError, runInference } from './inference.ts';
import { readNpy } from './npy.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const inputs = readNpy(
  readFileSync(new URL('../../../tests/fixtures/bundles/food-onnx-mini/inputs.npy', import.meta.url)),
);
const options = { inputName: 'input', outputName: 'logits', batchSize: 16, providers: ['cuda', 'cpu'] };

describe('runInference (onnxruntime-node, CPU)', () => {
  it('reads the hidden inputs and returns one row of logits per image, falling back to CPU', async () => {
    expect(inputs).toMatchObject({ dtype: 'float32', shape: [40, 3, 32, 32] });
    const result = await runInference(fixture('tiny-cnn.onnx'), inputs, options);
    expect(result.provider).toBe('cpu');
    expect(result.classes).toBe(11);
    expect(result.outputs.length).toBe(40 * 11);
    // The bundle's labels are torch's argmax, changed on every fourth (private) row.
    const predicted = argmaxRows(result.outputs, 11);
    const solution = readFileSync(
      new URL('../../../tests/fixtures/bundles/food-onnx-mini/solution.csv', import.meta.url),
      'utf8',
    )
      .trim()
      .split('\n')
      .slice(1);
    const agree = solution.filter((line, row) => Number(line.split(',')[1]) === predicted[row]).length;
    expect(agree).toBe(30);
  });

  it('refuses NaN outputs with the row that produced them', async () => {
    await expect(runInference(fixture('nan-output.onnx'), inputs, options)).rejects.toMatchObject({
      code: 'ONNX_NON_FINITE_OUTPUT',
    });
    await expect(runInference(fixture('nan-output.onnx'), inputs, options)).rejects.toBeInstanceOf(InferenceError);
  });
});
