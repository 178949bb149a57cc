/**
 * The DICOM network face (issue 16): PS3.8 upper layer and PS3.7 DIMSE, hand-written since no DIMSE library is on
 * Maven Central.
 *
 * <p>Entry point: {@code new DimseServer(DimseConfig, StorageBackend[, DimseAuditSink[, SecurityStorage]]).start()},
 * then {@link org.pacs.storage.dimse.DimseServer#port()}; {@code close()} ends every association. {@link
 * org.pacs.storage.dimse.DimseConfig} holds the {@code dimse:} keys (ae-title, port, bind, max-pdu-length,
 * allowed-calling-ae-titles, destinations, require-user-identity) plus artim-timeout, idle-timeout and
 * max-associations.
 *
 * <p>Services: Verification; Storage SCP for every storage SOP class in the syntaxes the archive reads, stored as
 * received behind a meta group built from the association; Patient and Study Root C-FIND, C-GET and C-MOVE. What
 * goes where: {@code Association} runs one connection (negotiation in {@code Negotiator}, PDUs in
 * {@code PduReader}/{@code PduWriter}/{@code AssociatePdu}, messages in {@code DimseChannel} and {@code Command}),
 * {@code StoreScp}, {@code FindScp} (over {@code FindPages}, the catalog a page at a time) and {@code RetrieveScp}
 * perform the operations, {@code StoreScu} is the requestor side for C-MOVE, {@code Part10} converts between network
 * data sets and stored files, {@code Transcoder} re-encodes an uncompressed data set into the Little Endian syntax a
 * retrieving peer accepted, {@code UserIdentityCheck} verifies User Identity negotiation against the security
 * database.
 */
package org.pacs.storage.dimse;
