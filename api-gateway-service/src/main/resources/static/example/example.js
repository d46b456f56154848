// An example client of the asset pipeline's API: single or multipart upload straight to S3 with a
// progress bar, then waits for the asset to turn AVAILABLE and shows a download link. No build step,
// no dependencies. The page is served by the API, so its calls to /api are same-origin; the PUTs to
// S3 are cross-origin and need the bucket's CORS rule (which exposes ETag for the parts).
'use strict';

const $ = (id) => document.getElementById(id);

function say(text) {
  $('status').textContent = text;
}

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { Authorization: 'Basic ' + btoa($('key').value.trim()), ...(options.headers || {}) },
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(`${response.status} ${problem.title || ''}: ${problem.detail || ''}`);
  }
  return response.status === 200 || response.status === 201 ? response.json() : null;
}

function postJson(path, body) {
  return api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

// PUT with XMLHttpRequest: fetch cannot report upload progress. Sends every header the API listed
// (the browser sets Content-Length itself) and resolves with the request, to read the ETag.
function put(url, headers, body, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) {
      if (name.toLowerCase() !== 'content-length') {
        xhr.setRequestHeader(name, value);
      }
    }
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => (xhr.status < 300 ? resolve(xhr) : reject(new Error(`S3 answered ${xhr.status}`)));
    xhr.onerror = () => reject(new Error('the upload failed (network, or the bucket\'s CORS rule)'));
    xhr.send(body);
  });
}

async function inParts(asset, file, progress) {
  const { partSize, partCount } = asset.multipart;
  const etags = [];
  let sent = 0;
  for (let first = 1; first <= partCount; first += 100) { // the API signs at most 100 parts a request
    const numbers = [];
    for (let n = first; n <= Math.min(partCount, first + 99); n++) {
      numbers.push({ number: n });
    }
    const { parts } = await postJson(`/api/v1/assets/${asset.id}/part-urls`, { parts: numbers });
    for (const part of parts) {
      const blob = file.slice((part.number - 1) * partSize, part.number * partSize);
      const xhr = await put(part.url, part.headers, blob, (loaded) => progress(sent + loaded));
      sent += blob.size;
      etags.push(xhr.getResponseHeader('ETag'));
    }
  }
  document.body.dataset.etags = JSON.stringify(etags);
  await api(`/api/v1/assets/${asset.id}/complete`, { method: 'POST' });
}

async function untilSettled(id) {
  for (let i = 0; i < 120; i++) {
    const asset = await api(`/api/v1/assets/${id}`);
    if (asset.status !== 'PENDING') {
      return asset;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('still PENDING after a minute');
}

async function upload() {
  const file = $('file').files[0];
  if (!file) {
    say('Pick a file first.');
    return;
  }
  $('download').hidden = true;
  const progress = (loaded) => { $('progress').value = file.size ? (100 * loaded) / file.size : 100; };
  progress(0);
  say('Asking the API for an upload…');
  const asset = await postJson('/api/v1/assets', {
    filename: file.name,
    contentType: file.type || 'application/octet-stream',
    size: file.size,
    ...($('parts').checked ? { multipart: true } : {}),
  });
  document.body.dataset.assetId = asset.id;
  if (asset.upload) {
    say('Uploading to S3…');
    await put(asset.upload.url, asset.upload.headers, file, progress);
  } else {
    say(`Uploading to S3 in ${asset.multipart.partCount} parts…`);
    await inParts(asset, file, progress);
  }
  progress(file.size);
  say('Uploaded; waiting for the pipeline to record it…');
  const settled = await untilSettled(asset.id);
  if (settled.status !== 'AVAILABLE') {
    throw new Error(`the asset is ${settled.status}${settled.rejectionReason ? ': ' + settled.rejectionReason : ''}`);
  }
  const { url } = await api(`/api/v1/assets/${asset.id}/download-url`);
  $('download').href = url;
  $('download').textContent = `Download ${file.name} (${settled.size} bytes)`;
  $('download').hidden = false;
  say('AVAILABLE');
}

$('upload').addEventListener('click', () => {
  $('upload').disabled = true;
  upload().catch((error) => say(`Failed: ${error.message}`)).finally(() => { $('upload').disabled = false; });
});
