import { Param, ParseUUIDPipe } from '@nestjs/common';
import { badRequest } from './api-error';

/** A UUID path parameter; anything else is a 400 naming the parameter. */
export const UuidParam = (name = 'id') =>
  Param(name, new ParseUUIDPipe({ exceptionFactory: () => badRequest(name, `${name} must be a UUID`) }));
