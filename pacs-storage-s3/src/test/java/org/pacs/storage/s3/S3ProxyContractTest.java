package org.pacs.storage.s3;

import org.pacs.storage.testkit.s3.S3TestServer;

/** The whole backend contract against S3Proxy over jclouds' filesystem provider, signatures checked. */
class S3ProxyContractTest extends AbstractS3ContractTest {

    @Override
    protected S3TestServer server() {
        return Servers.s3proxy();
    }
}
