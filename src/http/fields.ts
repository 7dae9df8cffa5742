import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { hasVisibleText, isIsoDate, parseInstant } from '../domain';

/**
 * Field decorators that validate and document at once, so the OpenAPI schema (/docs) and the
 * validation can never drift apart.
 */
interface FieldOptions {
  optional?: boolean;
  description?: string;
  example?: unknown;
}

const doc = (o: FieldOptions, extra: Record<string, unknown>) =>
  o.optional
    ? ApiPropertyOptional({ description: o.description, example: o.example, ...extra })
    : ApiProperty({ description: o.description, example: o.example, ...extra });

const presence = (o: FieldOptions) => (o.optional ? [IsOptional()] : []);

/**
 * At least one visible character (a letter, digit, punctuation or symbol): whitespace, zero-width
 * characters (U+200B, U+FEFF) and controls alone are refused with 400 VALIDATION_FAILED naming
 * the field, given or required (the domain's hasVisibleText, so both sides read text alike).
 */
const Visible = (each = false) =>
  ValidateBy(
    {
      name: 'hasVisibleText',
      validator: {
        validate: (value) => hasVisibleText(value),
        defaultMessage: (a) =>
          `${a?.property} must contain a visible character (not only spaces, zero-width or control characters)`,
      },
    },
    { each },
  );

/** Non-empty text of at most `max` characters, with a visible character. */
export const Text = (max = 2000, o: FieldOptions = {}) =>
  applyDecorators(
    ...presence(o),
    IsString(),
    IsNotEmpty(),
    Visible(),
    MaxLength(max),
    doc(o, { type: String, maxLength: max }),
  );

/** Integer fen (分), 0 … Number.MAX_SAFE_INTEGER. */
export const Fen = (o: FieldOptions & { min?: number } = {}) =>
  applyDecorators(
    ...presence(o),
    IsInt(),
    Min(o.min ?? 0),
    Max(Number.MAX_SAFE_INTEGER),
    doc(o, {
      type: Number,
      minimum: o.min ?? 0,
      description: `${o.description ?? 'amount'} in fen (分, 1 yuan = 100 fen)`,
    }),
  );

export const Int = (min: number, max: number, o: FieldOptions = {}) =>
  applyDecorators(...presence(o), IsInt(), Min(min), Max(max), doc(o, { type: Number, minimum: min, maximum: max }));

export const Bool = (o: FieldOptions = {}) => applyDecorators(...presence(o), IsBoolean(), doc(o, { type: Boolean }));

export const OneOf = (values: readonly string[], o: FieldOptions = {}) =>
  applyDecorators(...presence(o), IsIn(values as string[]), doc(o, { enum: values }));

/** A civil date `YYYY-MM-DD` that exists in the calendar. */
export const Day = (o: FieldOptions = {}) =>
  applyDecorators(
    ...presence(o),
    ValidateBy({
      name: 'isDay',
      validator: {
        validate: (value) => isIsoDate(value),
        defaultMessage: (a) => `${a?.property} must be a date YYYY-MM-DD`,
      },
    }),
    // No default example: a date is valid only where it falls in the project's story (a start not
    // before the approval, a deadline after today); the document's request examples tell one story.
    doc(o, { type: String, format: 'date' }),
  );

export const Uuid = (o: FieldOptions = {}) =>
  applyDecorators(...presence(o), IsUUID(), doc(o, { type: String, format: 'uuid' }));

export const TextList = (maxItems: number, maxLength = 2000, o: FieldOptions & { minItems?: number } = {}) =>
  applyDecorators(
    ...presence(o),
    IsArray(),
    ArrayMaxSize(maxItems),
    ...(o.minItems
      ? [
          ValidateBy({
            name: 'arrayMinSize',
            validator: {
              validate: (v) => Array.isArray(v) && v.length >= o.minItems!,
              defaultMessage: (a) => `${a?.property} needs at least ${o.minItems} item(s)`,
            },
          }),
        ]
      : []),
    IsString({ each: true }),
    IsNotEmpty({ each: true }),
    Visible(true),
    MaxLength(maxLength, { each: true }),
    doc(o, { type: [String], maxItems }),
  );

/** A nested object validated by its own DTO class. */
export const Nested = (cls: new () => object, o: FieldOptions = {}) =>
  applyDecorators(
    ...presence(o),
    IsObject(),
    ValidateNested(),
    Type(() => cls),
    doc(o, { type: cls }),
  );

/** Every command body may carry the revision the client last read (optimistic concurrency). */
export class CommandBody {
  @Int(-1, Number.MAX_SAFE_INTEGER, {
    optional: true,
    description: 'Stream revision the client read; a different current revision answers 409 REVISION_CONFLICT',
  })
  expectedRevision?: number;
}

/**
 * An instant field (query or body): accepts what parseInstant accepts, hands the handler the
 * RFC 3339 instant (a plain day becomes `YYYY-MM-DDT00:00:00+08:00`), refuses the rest with
 * 400 VALIDATION_FAILED naming the field. The one validator for every instant the API takes.
 */
export const Instant = (o: FieldOptions = {}) =>
  applyDecorators(
    ...presence(o),
    Transform(({ value }) => parseInstant(value) ?? value),
    ValidateBy({
      name: 'isInstant',
      validator: {
        validate: (value) => parseInstant(value) !== null,
        defaultMessage: (a) =>
          `${a?.property} must be an RFC 3339 instant with Z or ±hh:mm (e.g. 2026-05-01T00:00:00+08:00)` +
          ' or a day YYYY-MM-DD (00:00 Ordos time, UTC+8)',
      },
    }),
    doc(
      {
        ...o,
        description:
          `${o.description ? `${o.description}; ` : ''}` +
          'an RFC 3339 instant with Z or ±hh:mm offset, or a day YYYY-MM-DD meaning 00:00 Ordos time (UTC+8)',
      },
      { type: String, format: 'date-time', example: o.example ?? '2026-05-01T00:00:00+08:00' },
    ),
  );
