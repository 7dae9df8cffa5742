import { Inject, Injectable } from '@nestjs/common';
import { projectStreamId, type DocumentKind, type RecordedBy } from '../domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '../event-store/event-store.port';

/** One uploaded file of a project, as its DocumentUploaded recorded it (GET /projects/:id/documents). */
export interface ProjectDocument {
  documentId: string;
  kind: DocumentKind;
  name: string;
  size: number;
  sha256: string;
  contentType: string;
  uploadedBy: RecordedBy;
  uploadedAt: string;
}

/**
 * The project's files, read from its own stream (not a read model): an upload is listed and can
 * be downloaded as soon as its event is appended, and what the download checks the bytes against
 * is the digest in the hash-chained event itself.
 */
@Injectable()
export class ProjectDocuments {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async list(projectId: string): Promise<ProjectDocument[]> {
    const stream = await this.events.readStream(projectStreamId(projectId));
    return stream.filter((e) => e.type === 'DocumentUploaded').map(documentOf);
  }

  async find(projectId: string, documentId: string): Promise<ProjectDocument | undefined> {
    return (await this.list(projectId)).find((d) => d.documentId === documentId);
  }
}

function documentOf(event: StoredEvent): ProjectDocument {
  const d = event.data as Omit<ProjectDocument, 'uploadedAt'> & { uploadedOn: string };
  return {
    documentId: d.documentId,
    kind: d.kind,
    name: d.name,
    size: d.size,
    sha256: d.sha256,
    contentType: d.contentType,
    uploadedBy: d.uploadedBy,
    uploadedAt: event.metadata.occurredAt,
  };
}
