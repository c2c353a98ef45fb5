import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'ketenpoort:auth:public';

/** Marks a route or controller as reachable without a token (health, docs, the embedded token endpoints). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
