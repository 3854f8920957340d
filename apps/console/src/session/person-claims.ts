import { Inject, Injectable } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { AppError } from '@lib/common';
import { looksLikeJwt, PersonTokenVerifier, Principal } from '@lib/platform';
import { OidcClient, TokenSet } from '../auth/oidc-client';
import { ConsoleConfig } from '../console.config';
import { CONSOLE_CONFIG } from '../console.tokens';
import { ConsoleErrorCode } from '../console-error-codes';

export interface Person {
  principal: Principal;
  email: string | null;
}

/**
 * Who signed in, read from the access token exactly as the services read it (PersonTokenVerifier with the same AUTH_*
 * claim settings): so /api/me shows the roles and branches the services will enforce.
 */
@Injectable()
export class PersonClaims {
  private verifier: Promise<PersonTokenVerifier> | null = null;

  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    private readonly oidc: OidcClient,
  ) {}

  async personOf(tokens: TokenSet): Promise<Person> {
    if (!looksLikeJwt(tokens.accessToken))
      throw new AppError(
        ConsoleErrorCode.LOGIN_FAILED,
        'unauthorized',
        'The identity provider did not issue a JWT access token',
      );
    const principal = await (await this.verifierFor()).verify(tokens.accessToken);
    const email = tokens.idClaims?.email ?? decodeJwt(tokens.accessToken).email;
    return { principal, email: typeof email === 'string' ? email : null };
  }

  private verifierFor(): Promise<PersonTokenVerifier> {
    if (!this.verifier) {
      this.verifier = this.oidc.jwksUri().then(
        (jwksUrl) =>
          new PersonTokenVerifier({
            issuer: this.config.OIDC_ISSUER,
            audience: this.config.AUTH_AUDIENCE,
            jwksUrl,
            rolesClaim: this.config.AUTH_ROLES_CLAIM,
            branchesClaim: this.config.AUTH_BRANCHES_CLAIM,
            nameClaim: this.config.AUTH_NAME_CLAIM,
            roleMap: this.config.AUTH_ROLE_MAP,
            clockToleranceSeconds: this.config.AUTH_CLOCK_TOLERANCE_SECONDS,
            fetchTimeoutMs: this.config.OIDC_TIMEOUT_MS,
          }),
      );
      this.verifier.catch(() => (this.verifier = null));
    }
    return this.verifier;
  }
}
