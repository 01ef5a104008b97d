import { ValidateIf } from 'class-validator';

/** May be left out, but when present must not be null (unlike @IsOptional, which lets null through). */
export const OptionalNotNull = () => ValidateIf((_object, value) => value !== undefined);
