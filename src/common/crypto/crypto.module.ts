import { Global, Module } from '@nestjs/common';
import { secretBoxProvider } from './secret-box.provider';

@Global()
@Module({ providers: [secretBoxProvider], exports: [secretBoxProvider] })
export class CryptoModule {}
