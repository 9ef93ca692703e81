import { readFileSync } from 'node:fs';
import { SubmissionRejection } from '@mljudge/formats';
import { describe, expect, it } from 'vitest';
import { checkModelContract, type ModelContract } from './model-contract.ts';
import { readOnnxModel } from './onnx-model.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
/** Parameter counts as torch counts them (written by make_fixtures.py). */
const torchCounts = JSON.parse(
  readFileSync(new URL('../fixtures/tiny-cnn-expected.json', import.meta.url), 'utf8'),
) as { parameters: number; overLimitParameters: number };
const contract: ModelContract = {
  inputType: 'float32',
  inputShape: [3, 32, 32],
  classes: 11,
  maxParameters: 60_000,
  overLimit: 'reject',
};

function rejection(name: string, overrides: Partial<ModelContract> = {}) {
  try {
    checkModelContract(fixture(name), { ...contract, ...overrides });
  } catch (error) {
    if (error instanceof SubmissionRejection) return error.detail;
    throw error;
  }
  throw new Error(`${name} was accepted`);
}

describe('readOnnxModel', () => {
  it('reads versions, the input and output contract and the parameter count of a torch export', () => {
    const info = readOnnxModel(fixture('tiny-cnn.onnx'));
    expect(info.irVersion).toBeGreaterThanOrEqual(7);
    expect(info.opsets).toContainEqual({ domain: '', version: 17 });
    expect(info.inputs).toEqual([{ name: 'input', elementType: 'float32', shape: ['batch', 3, 32, 32] }]);
    expect(info.outputs).toEqual([{ name: 'logits', elementType: 'float32', shape: ['batch', 11] }]);
    expect(info.parameterCount).toBe(torchCounts.parameters);
    expect(info.usesExternalData).toBe(false);
  });
});

describe('checkModelContract', () => {
  it('accepts the tiny CNN', () => {
    expect(checkModelContract(fixture('tiny-cnn.onnx'), contract)).toMatchObject({
      inputName: 'input',
      outputName: 'logits',
      scoreZero: false,
    });
  });

  it.each([
    ['not-onnx.onnx', 'ONNX_INVALID'],
    ['external-data.onnx', 'ONNX_EXTERNAL_DATA'],
    ['over-parameter-limit.onnx', 'ONNX_TOO_MANY_PARAMETERS'],
    ['wrong-input-rank.onnx', 'ONNX_INPUT'],
    ['wrong-input-dtype.onnx', 'ONNX_INPUT'],
  ])('rejects %s with %s and says what was expected', (name, code) => {
    const detail = rejection(name);
    expect(detail.code).toBe(code);
    expect(detail.message.length).toBeGreaterThan(20);
  });

  it('names the parameter count and the budget', () => {
    expect(rejection('over-parameter-limit.onnx').message).toBe(
      `The model has ${torchCounts.overLimitParameters.toLocaleString('en')} parameters; this task allows at most 60,000.`,
    );
    expect(rejection('wrong-input-dtype.onnx').message).toContain('is float64; this task feeds float32');
    expect(rejection('wrong-input-rank.onnx').message).toContain('has rank 2');
  });

  it('scores an over-budget model 0 instead when the task says so', () => {
    expect(checkModelContract(fixture('over-parameter-limit.onnx'), { ...contract, overLimit: 'zero' }).scoreZero).toBe(
      true,
    );
  });

  it('rejects truncated and garbage protobuf without throwing anything else', () => {
    const model = fixture('tiny-cnn.onnx');
    for (const bytes of [
      model.subarray(0, 100),
      Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
      Buffer.alloc(64, 0xff),
    ]) {
      expect(() => checkModelContract(bytes, contract)).toThrow(SubmissionRejection);
    }
  });
});
