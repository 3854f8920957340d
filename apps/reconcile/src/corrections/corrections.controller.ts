import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { uuidSchema } from '@lib/contracts';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthGuard, openApiSchema, parseInput, principalOf, Requires } from '@lib/platform';
import { CORRECTION_STATES } from './correction.model';
import {
  approveCorrectionSchema,
  linkReissueSchema,
  listCorrectionsQuerySchema,
  proposeCorrectionSchema,
  rejectCorrectionSchema,
} from './corrections.schemas';
import { CorrectionProposalsService } from './correction-proposals.service';
import { CorrectionReissueService } from './correction-reissue.service';
import { CorrectionsQueryService } from './corrections-query.service';

/**
 * Red-letter corrections with four eyes (docs/corrections.md). Reads need findings:read, a proposal findings:act, a
 * decision corrections:approve (finance managers and admins) by someone who is not the proposer (403 SELF_APPROVAL).
 * A correction outside the caller's branches answers 404 CORRECTION_NOT_FOUND exactly as an unknown one.
 */
@ApiTags('corrections')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/corrections')
export class CorrectionsController {
  constructor(
    private readonly corrections: CorrectionsQueryService,
    private readonly proposals: CorrectionProposalsService,
    private readonly reissues: CorrectionReissueService,
  ) {}

  @Get()
  @Requires('findings:read')
  @ApiOperation({ summary: "Corrections within the caller's branches, newest first" })
  @ApiQuery({ name: 'state', required: false, enum: CORRECTION_STATES })
  @ApiQuery({ name: 'taxNo', required: false })
  @ApiQuery({ name: 'findingId', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  list(@Query() query: unknown, @Req() request: Request) {
    return this.corrections.list(
      principalOf(request).scope,
      parseInput(listCorrectionsQuerySchema, query, 'query'),
    );
  }

  @Get(':id')
  @Requires('findings:read')
  @ApiOperation({
    summary:
      'One correction with its history and its form’s states (404 when unknown or outside the caller’s branches)',
  })
  @ApiParam({ name: 'id' })
  get(@Param('id') id: string, @Req() request: Request) {
    return this.corrections.get(parseInput(uuidSchema, id, 'id'), principalOf(request).scope);
  }

  @Post()
  @HttpCode(201)
  @Requires('findings:act')
  @ApiOperation({
    summary:
      'Propose the red-letter form for a mismatch finding (replaces a pending proposal; 409 CORRECTION_IN_PROGRESS once approved; 400 CORRECTION_EXCEEDS_REMAINING)',
  })
  @ApiBody({ schema: openApiSchema(proposeCorrectionSchema) })
  propose(@Body() body: unknown, @Req() request: Request) {
    return this.proposals.propose(
      parseInput(proposeCorrectionSchema, body ?? {}, 'body'),
      principalOf(request),
    );
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Requires('corrections:approve')
  @ApiOperation({
    summary:
      'Approve a proposed correction (not one’s own: 403 SELF_APPROVAL); it is then entered at the authority',
  })
  @ApiParam({ name: 'id' })
  @ApiBody({ schema: openApiSchema(approveCorrectionSchema), required: false })
  approve(@Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    const { reason } = parseInput(approveCorrectionSchema, body ?? {}, 'body');
    return this.proposals.approve(parseInput(uuidSchema, id, 'id'), reason ?? null, principalOf(request));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Requires('corrections:approve')
  @ApiOperation({
    summary: 'Reject a proposed correction with a reason; its finding is escalated to a person',
  })
  @ApiParam({ name: 'id' })
  @ApiBody({ schema: openApiSchema(rejectCorrectionSchema) })
  reject(@Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    const { reason } = parseInput(rejectCorrectionSchema, body ?? {}, 'body');
    return this.proposals.reject(parseInput(uuidSchema, id, 'id'), reason, principalOf(request));
  }

  @Post(':id/reissue')
  @HttpCode(200)
  @Requires('findings:act')
  @ApiOperation({
    summary:
      'Name the invoice that re-issues the reversed original, corrected (re-issuing corrections only); the correction completes once it and the red invoice are at the authority',
  })
  @ApiParam({ name: 'id' })
  @ApiBody({ schema: openApiSchema(linkReissueSchema) })
  reissue(@Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    const { invoiceKey, note } = parseInput(linkReissueSchema, body ?? {}, 'body');
    return this.reissues.linkReissue(
      parseInput(uuidSchema, id, 'id'),
      invoiceKey,
      note ?? null,
      principalOf(request),
    );
  }
}
