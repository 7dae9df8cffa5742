import { MongoClient } from 'mongodb';
import { GridFsDocumentStore } from '../../src/document-store/gridfs-document.store';
import { documentStoreContract } from './document-store.contract';

const uri = process.env.MONGODB_URI;
// The server may be shared: every run writes into a database of its own and drops it.
const dbName = `ordos_documents_t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

if (uri) {
  documentStoreContract(
    'MongoDB GridFS',
    () => GridFsDocumentStore.connect(uri, dbName),
    async () => {
      const client = await MongoClient.connect(uri);
      await client.db(dbName).dropDatabase();
      await client.close();
    },
  );
} else {
  console.log('skipped: set MONGODB_URI to run the GridFS document-store contract suite');
  describe.skip('DocumentStore contract: MongoDB GridFS (set MONGODB_URI)', () => {
    test('contract suite', () => undefined);
  });
}
