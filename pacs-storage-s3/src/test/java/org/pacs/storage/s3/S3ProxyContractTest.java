package org.pacs.storage.s3;

import org.pacs.storage.testkit.s3.S3TestServer;

/** The whole backend contract against S3Proxy over jclouds' filesystem provider, signatures checked. */
class S3ProxyContractTest extends AbstractS3ContractTest {

    @Override
    protected S3TestServer server() {
        return Servers.s3proxy();
    }

    /**
     * The 300 MB forked-JVM proof runs against S3Mock (S3MockContractTest): the client side, which is what
     * it proves streams, is the same code here, and running it twice would add a minute to every build.
     */
    @Override
    protected boolean runLargeInstanceTest() {
        return false;
    }
}
