import { Module } from '@nestjs/common';
import { AgentApiController } from './agent-api.controller';

@Module({ controllers: [AgentApiController] })
export class AgentApiModule {}
