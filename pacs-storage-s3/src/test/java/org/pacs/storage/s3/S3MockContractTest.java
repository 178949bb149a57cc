package org.pacs.storage.s3;

import org.pacs.storage.testkit.s3.S3TestServer;

/** The whole backend contract against Adobe S3Mock; it needs no overrides. */
class S3MockContractTest extends AbstractS3ContractTest {

    @Override
    protected S3TestServer server() {
        return Servers.s3mock();
    }
}
