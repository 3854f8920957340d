import { Controller, Get, Header, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { ROLE_PERMISSIONS, type Permission } from '@lib/platform';
import { SessionGate } from './session-gate';

/** Who is signed in, what they may do (the same table the services enforce) and the CSRF token for changes. */
@ApiExcludeController()
@Controller('api')
export class MeController {
  constructor(private readonly gate: SessionGate) {}

  @Get('me')
  @Header('Cache-Control', 'no-store')
  async me(@Req() req: Request) {
    const session = await this.gate.require(req);
    const permissions = new Set<Permission>(session.roles.flatMap((role) => ROLE_PERMISSIONS[role] ?? []));
    return {
      subject: session.subject,
      name: session.name,
      email: session.email,
      roles: session.roles,
      branches: session.branches,
      permissions: [...permissions].sort(),
      csrfToken: session.csrfToken,
    };
  }
}
