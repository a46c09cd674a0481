import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { placeholder } from '#app/domain';
@Controller() class H { @Get('health') h() { return { ok: placeholder }; } }
@Module({ imports: [CqrsModule.forRoot()], controllers: [H] }) export class AppModule {}
const app = await NestFactory.create(AppModule); await app.listen(3999); console.log('up'); await app.close();
