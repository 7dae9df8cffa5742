import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { InvalidInput, type InvalidField } from '../application/errors';

function flatten(errors: ValidationError[], parent = ''): InvalidField[] {
  const fields: InvalidField[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) fields.push({ field, problems: Object.values(error.constraints) });
    if (error.children?.length) fields.push(...flatten(error.children, field));
  }
  return fields;
}

/**
 * Strict validation: unknown fields are refused (not silently dropped), every invalid field is
 * reported at once, nested ones by dotted path.
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
