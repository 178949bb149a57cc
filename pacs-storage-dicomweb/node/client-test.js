// Drives our DICOMweb server with dicomweb-client (the library OHIF uses), started by DicomWebClientTest.
// Usage: node client-test.js BASE_URL USER PASSWORD FILE.dcm STUDY SERIES SOP
// Prints one JSON line with what came back; the Java test judges it. Exits 1 on any client error.
global.XMLHttpRequest = require('xhr2');
const fs = require('fs');
const crypto = require('crypto');
const { api } = require('dicomweb-client');

const [base, user, password, file, study, series, sop] = process.argv.slice(2);
const sha = (buf) => crypto.createHash('sha256').update(Buffer.from(buf)).digest('hex');

async function main() {
  const client = new api.DICOMwebClient({
    url: base,
    headers: { Authorization: 'Basic ' + Buffer.from(user + ':' + password).toString('base64') },
  });
  const bytes = fs.readFileSync(file);
  const dataset = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  await client.storeInstances({ datasets: [dataset] });
  const studies = await client.searchForStudies({ queryParams: { StudyInstanceUID: study } });
  const seriesList = await client.searchForSeries({ studyInstanceUID: study });
  const instances = await client.searchForInstances({ studyInstanceUID: study, seriesInstanceUID: series });
  const ids = { studyInstanceUID: study, seriesInstanceUID: series, sopInstanceUID: sop };
  const instance = await client.retrieveInstance(ids);
  const metadata = await client.retrieveInstanceMetadata(ids);
  const frames = await client.retrieveInstanceFrames({ ...ids, frameNumbers: [1] });
  const bulkUri = metadata[0]['7FE00010'].BulkDataURI;
  const bulk = await client.retrieveBulkData({ BulkDataURI: bulkUri });
  console.log(JSON.stringify({
    studies: studies.length,
    studyUid: studies[0]['0020000D'].Value[0],
    series: seriesList.length,
    instances: instances.length,
    instanceSha: sha(instance),
    metadataSop: metadata[0]['00080018'].Value[0],
    frames: frames.length,
    frameSha: sha(frames[0]),
    bulkSha: sha(Array.isArray(bulk) ? bulk[0] : bulk),
  }));
}

main().catch((e) => {
  console.error('dicomweb-client failed:', e && (e.message || e.status || e), e && e.stack);
  process.exit(1);
});
