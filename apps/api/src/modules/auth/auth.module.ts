import { Module } from '@nestjs/common';
import { StaffModule } from '../staff/staff.module';
import { AuthController } from './auth.controller';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';

@Module({
  imports: [StaffModule],
  controllers: [AuthController],
  providers: [AuthService, AuthRepository],
  // WeChat sign-in issues member sessions through AuthService.issueMemberSession.
  exports: [AuthService],
})
export class AuthModule {}
