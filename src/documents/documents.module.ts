import { Module } from '@nestjs/common';
import { DocumentsController } from './documents.controller';
import { ProjectDocuments } from './project-documents';

/** 项目文件: uploading, listing and downloading a project's files (DocumentStore, DocumentUploaded). */
@Module({
  controllers: [DocumentsController],
  providers: [ProjectDocuments],
})
export class DocumentsModule {}
