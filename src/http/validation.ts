import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { InvalidInput, type InvalidField } from '../application/errors';

/**
 * Chinese wording of each class-validator constraint our DTOs use. `{n}` is replaced by the first
 * number of the English message (a length, a bound), so limits are stated once, in the decorator.
 * An unknown constraint falls back to a neutral sentence rather than English text.
 */
const ZH: Record<string, string> = {
  whitelistValidation: '不是本接口接受的字段',
  unknownValue: '内容无法识别',
  nestedValidation: '应为一组填写内容',
  isObject: '应为一组填写内容',
  isString: '应为文字',
  isNotEmpty: '不能为空',
  hasVisibleText: '需含可见文字（不能只有空格或不可见字符）',
  maxLength: '不能超过 {n} 个字',
  minLength: '至少 {n} 个字',
  isInt: '应为整数',
  min: '不能小于 {n}',
  max: '不能大于 {n}',
  isIn: '不是允许的选项',
  isEnum: '不是允许的选项',
  isBoolean: '应为“是”或“否”',
  isArray: '应为列表',
  arrayMaxSize: '最多 {n} 项',
  arrayMinSize: '至少 {n} 项',
  isUuid: '编号格式不正确',
  matches: '格式不正确',
  isDay: '应为日期（年-月-日）',
  isInstant: '应为日期或时间',
  isPosition: '位置格式不正确',
  isContentByDepartment: '各部门内容格式不正确',
};

/** The Chinese message for one failed constraint, given its English default message. */
export function chineseProblem(constraint: string, english: string): string {
  const template = ZH[constraint] ?? '填写不正确';
  const n = /-?\d+(?:\.\d+)?/.exec(english)?.[0];
  return n === undefined ? template.replace(/\s*\{n\}\s*/, '规定') : template.replace('{n}', n);
}

function flatten(errors: ValidationError[], parent = ''): InvalidField[] {
  const fields: InvalidField[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      const entries = Object.entries(error.constraints);
      fields.push({
        field,
        problems: entries.map(([, en]) => en),
        codes: entries.map(([code]) => code),
        problemsZh: entries.map(([code, en]) => chineseProblem(code, en)),
      });
    }
    if (error.children?.length) fields.push(...flatten(error.children, field));
  }
  return fields;
}

/**
 * Strict validation: unknown fields are refused (not silently dropped), every invalid field is
 * reported at once, nested ones by dotted path, each problem with its constraint code and its
 * English and Chinese wording.
 */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new InvalidInput(flatten(errors)),
  });
}
