import { ArgumentMetadata } from '@nestjs/common';
import { IsInt, IsString, MaxLength, Min } from 'class-validator';
import { InvalidInput } from '../../src/application/errors';
import { chineseProblem, strictValidationPipe } from '../../src/http/validation';

class Sample {
  @IsString()
  @MaxLength(5)
  name!: string;

  @IsInt()
  @Min(1)
  estimateFen!: number;
}

describe('validation messages carry constraint codes and Chinese wording', () => {
  it('names every bad field, each with code, English and Chinese', async () => {
    const pipe = strictValidationPipe();
    const meta: ArgumentMetadata = { type: 'body', metatype: Sample };
    const error = await pipe.transform({ name: '一二三四五六', estimateFen: 0, extra: 1 }, meta).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInput);
    const byField = Object.fromEntries((error as InvalidInput).fields.map((f) => [f.field, f]));
    expect(Object.keys(byField).sort()).toEqual(['estimateFen', 'extra', 'name']);
    expect(byField.name.codes).toEqual(['maxLength']);
    expect(byField.name.problemsZh).toEqual(['不能超过 5 个字']);
    expect(byField.estimateFen.problemsZh).toEqual(['不能小于 1']);
    expect(byField.extra.codes).toEqual(['whitelistValidation']);
    for (const f of Object.values(byField)) {
      expect(f.problemsZh).toHaveLength(f.problems.length);
      for (const zh of f.problemsZh ?? []) expect(zh).not.toMatch(/[A-Za-z]/);
    }
  });

  it('an unknown constraint gets neutral Chinese, never English', () => {
    expect(chineseProblem('somethingNew', 'x must be weird')).toBe('填写不正确');
  });
});
