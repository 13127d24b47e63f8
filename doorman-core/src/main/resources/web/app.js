'use strict';
// The enrollment page. Everything the server sends is shown through textContent, never as HTML.

const TOKEN_KEY = 'doorman.token';
const $ = (id) => document.getElementById(id);
let selectedPerson = null;
let people = [];
let olderEventsCursor = null;
// object URLs of the pictures shown, per list, so they are released when the list is drawn again
const pictureUrls = { people: [], photos: [], events: [] };
let previewAbort = null;
let previewUrl = null;

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(method, path, body, contentType) {
  const headers = { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY) };
  let payload = body;
  if (body !== undefined && contentType === undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  } else if (contentType) {
    headers['Content-Type'] = contentType;
  }
  const response = await fetch(path, { method, headers, body: payload });
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch (e) {
    data = null;
  }
  if (!response.ok) {
    const message = data && data.error ? data.error : 'request failed (' + response.status + ')';
    if (response.status === 401) signOut('Sign-in failed: ' + message);
    throw new ApiError(response.status, message);
  }
  return data;
}

function notify(message, isError) {
  const notice = $('notice');
  notice.textContent = message;
  notice.classList.toggle('error', Boolean(isError));
  notice.hidden = !message;
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function button(label, onClick, className) {
  const b = el('button', label, className);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

/** Disables a button while its action runs, and reports the action's error. */
async function busy(btn, action) {
  btn.disabled = true;
  try {
    await action();
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) notify(e.message, true);
  } finally {
    btn.disabled = false;
  }
}

function authHeader() {
  return { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY) };
}

// ---- pictures: fetched with the token and shown through blob URLs, so the token never goes into a URL ----

function releasePictures(list) {
  for (const url of pictureUrls[list]) URL.revokeObjectURL(url);
  pictureUrls[list] = [];
}

/** A picture box: the placeholder text until the JPEG at path (if any) arrives, then the picture. */
function picture(path, list, placeholder, alt) {
  const box = el('span', placeholder, 'thumb placeholder');
  box.setAttribute('aria-hidden', 'true');
  if (!path) return box;
  fetch(path, { headers: authHeader() }).then(async (response) => {
    if (!response.ok) return;
    const url = URL.createObjectURL(await response.blob());
    pictureUrls[list].push(url);
    const img = el('img', null, 'thumb');
    img.alt = alt;
    img.src = url;
    box.replaceWith(img);
  }).catch(() => {});
  return box;
}

function initials(name) {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join('');
}

function when(iso) {
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toLocaleString();
}

// ---- sign-in ----

async function signIn(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  try {
    await loadPeople();
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) notify(e.message, true);
    return;
  }
  $('sign-in-panel').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  notify('');
  loadDoor();
  loadEvents(false);
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  $('app').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in-panel').hidden = false;
  $('token').value = '';
  selectedPerson = null;
  closeCamera();
  notify(message || '', Boolean(message));
}

// ---- people ----

async function loadPeople() {
  people = await api('GET', '/api/people');
  const list = $('people');
  releasePictures('people');
  list.replaceChildren();
  for (const person of people) list.append(personRow(person));
  $('people-empty').hidden = people.length > 0;
  const filter = $('event-person');
  const chosen = filter.value;
  filter.replaceChildren(el('option', 'Everyone'));
  filter.firstChild.value = '';
  for (const person of people) {
    const option = el('option', person.name);
    option.value = String(person.id);
    filter.append(option);
  }
  filter.value = chosen;
  if (selectedPerson) {
    selectedPerson = people.find((p) => p.id === selectedPerson.id) || null;
    if (selectedPerson) showPerson(selectedPerson); else $('person-panel').hidden = true;
  }
}

function personRow(person) {
  const li = el('li');
  li.className = 'person' + (selectedPerson && selectedPerson.id === person.id ? ' selected' : '');
  li.dataset.id = person.id;
  const name = el('span', person.name, 'grow name');
  const photos = el('span', person.faces + (person.faces === 1 ? ' photo' : ' photos'), 'badge');
  const face = person.thumbnailFace === null || person.thumbnailFace === undefined ? null
    : '/api/people/' + person.id + '/faces/' + person.thumbnailFace + '/thumbnail';
  li.append(picture(face, 'people', initials(person.name), person.name), name, photos);
  if (!person.enabled) li.append(el('span', 'disabled', 'badge off'));
  const actions = el('div', null, 'actions');
  li.append(actions);
  actions.append(
    button('Photos', () => showPerson(person), 'secondary'),
    button(person.enabled ? 'Disable' : 'Enable', (e) => busy(e.target, async () => {
      await api('PATCH', '/api/people/' + person.id, { enabled: !person.enabled });
      await loadPeople();
    }), 'secondary'),
    button('Rename', (e) => busy(e.target, async () => {
      const name = prompt('New name for ' + person.name, person.name);
      if (name === null || name.trim() === '' || name === person.name) return;
      await api('PATCH', '/api/people/' + person.id, { name });
      await loadPeople();
    }), 'secondary'),
    button('Delete', (e) => busy(e.target, async () => {
      if (!confirm('Delete ' + person.name + ' and all their photos?')) return;
      await api('DELETE', '/api/people/' + person.id);
      if (selectedPerson && selectedPerson.id === person.id) selectedPerson = null;
      notify(person.name + ' was deleted.');
      await loadPeople();
    }), 'danger'),
  );
  return li;
}

async function addPerson(event) {
  event.preventDefault();
  const input = $('new-person-name');
  await busy($('add-person'), async () => {
    const person = await api('POST', '/api/people', { name: input.value });
    input.value = '';
    notify(person.name + ' was added. Now add photos of them.');
    selectedPerson = person;
    await loadPeople();
  });
}

// ---- photos ----

async function showPerson(person) {
  if (!selectedPerson || selectedPerson.id !== person.id) closeCamera();
  selectedPerson = person;
  $('person-name').textContent = person.name;
  $('person-panel').hidden = false;
  for (const li of $('people').children) li.classList.toggle('selected', li.dataset.id === String(person.id));
  const faces = await api('GET', '/api/people/' + person.id + '/faces');
  const list = $('photos');
  releasePictures('photos');
  list.replaceChildren();
  for (const face of faces) {
    const li = el('li');
    li.className = 'photo';
    const path = face.thumbnail ? '/api/people/' + person.id + '/faces/' + face.id + '/thumbnail' : null;
    li.append(
      picture(path, 'photos', 'no picture', 'Photo #' + face.id),
      el('span', 'Photo #' + face.id + ' · added ' + when(face.created), 'grow'),
      el('span', 'face score ' + Number(face.quality).toFixed(2), 'badge'),
      button('Remove', (e) => busy(e.target, async () => {
        await api('DELETE', '/api/people/' + person.id + '/faces/' + face.id);
        await loadPeople();
      }), 'danger'),
    );
    list.append(li);
  }
  $('photos-empty').hidden = faces.length > 0;
}

async function uploadPhoto(event) {
  event.preventDefault();
  const input = $('photo-file');
  const file = input.files[0];
  if (!file) {
    notify('Choose a photo first.', true);
    return;
  }
  const person = selectedPerson;
  await busy($('upload'), async () => {
    const type = file.type === 'image/png' ? 'image/png' : 'image/jpeg';
    await api('POST', '/api/people/' + person.id + '/faces', file, type);
    input.value = '';
    notify('Photo added for ' + person.name + '.');
    await loadPeople();
  });
}

// ---- the door camera's live view (MJPEG read through fetch, so the token stays in a header) ----

function openCamera() {
  $('camera-panel').hidden = false;
  $('capture').hidden = true;
  startPreview();
}

function closeCamera() {
  if (previewAbort) previewAbort.abort();
  previewAbort = null;
  if (previewUrl) URL.revokeObjectURL(previewUrl);
  previewUrl = null;
  $('preview').removeAttribute('src');
  $('camera-panel').hidden = true;
  $('capture').hidden = false;
}

async function startPreview() {
  if (previewAbort) previewAbort.abort();
  const controller = new AbortController();
  previewAbort = controller;
  const status = $('preview-status');
  status.textContent = 'Connecting to the door camera…';
  try {
    const response = await fetch('/api/door/camera', { headers: authHeader(), signal: controller.signal });
    if (!response.ok) {
      let message = 'request failed (' + response.status + ')';
      try {
        message = (await response.json()).error || message;
      } catch (e) { /* not JSON */ }
      status.textContent = 'No live view: ' + message;
      return;
    }
    status.textContent = 'Live view of the door camera. Face it, then take the photo.';
    await readJpegParts(response.body.getReader(), showPreviewFrame);
    if (!controller.signal.aborted) status.textContent = 'The live view ended; close the camera and open it again.';
  } catch (e) {
    if (!controller.signal.aborted) status.textContent = 'The live view stopped: ' + e.message;
  }
}

function showPreviewFrame(jpeg) {
  const url = URL.createObjectURL(new Blob([jpeg], { type: 'image/jpeg' }));
  const old = previewUrl;
  previewUrl = url;
  $('preview').src = url;
  if (old) URL.revokeObjectURL(old);
}

function indexOfBlankLine(bytes) {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) return i;
  }
  return -1;
}

/** Splits a multipart/x-mixed-replace body into its JPEGs by each part's Content-Length. */
async function readJpegParts(reader, onPart) {
  const ascii = new TextDecoder('ascii');
  let buffer = new Uint8Array(0);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const joined = new Uint8Array(buffer.length + value.length);
    joined.set(buffer);
    joined.set(value, buffer.length);
    buffer = joined;
    for (;;) {
      const headerEnd = indexOfBlankLine(buffer);
      if (headerEnd < 0) {
        if (buffer.length > 4096) throw new Error('unexpected data from the camera stream');
        break;
      }
      const length = /content-length:\s*(\d+)/i.exec(ascii.decode(buffer.subarray(0, headerEnd)));
      if (!length) throw new Error('a camera frame without its length');
      const start = headerEnd + 4;
      const end = start + Number(length[1]);
      if (buffer.length < end) break;
      onPart(buffer.slice(start, end));
      buffer = buffer.slice(end);
    }
  }
}

async function captureFromCamera(event) {
  const person = selectedPerson;
  await busy(event.target, async () => {
    await api('POST', '/api/people/' + person.id + '/faces/capture');
    notify('Captured a photo of ' + person.name + ' at the door.');
    await loadPeople();
  });
}

// ---- door and events ----

async function loadDoor() {
  try {
    const door = await api('GET', '/api/door');
    $('door-state').textContent = door.state;
    $('unlock').hidden = !door.available;
  } catch (e) {
    $('door-state').textContent = 'unknown (' + e.message + ')';
  }
  try {
    const d = await api('GET', '/api/door/decision');
    $('door-decision').textContent = d.people + ' people recognised; a stranger is expected to get in about once in '
      + Math.round(1 / d.expectedStrangerAcceptPerVisit).toLocaleString() + ' visits (target: once in '
      + Math.round(1 / d.target).toLocaleString() + ').';
  } catch (e) {
    $('door-decision').textContent = '';
  }
}

async function unlockDoor(event) {
  await busy(event.target, async () => {
    const door = await api('POST', '/api/door/unlock');
    $('door-state').textContent = door.state;
    notify('The door was unlocked.');
    setTimeout(loadDoor, 6000);
    loadEvents(false);
  });
}

async function loadEvents(older) {
  const params = new URLSearchParams({ limit: '20' });
  const person = $('event-person').value;
  if (person) params.set('person', person);
  if (older && olderEventsCursor !== null) params.set('offset', String(olderEventsCursor));
  let page;
  try {
    page = await api('GET', '/api/events?' + params);
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) notify(e.message, true);
    return;
  }
  const body = $('events').tBodies[0];
  if (!older) {
    releasePictures('events');
    body.replaceChildren();
  }
  for (const event of page.events) {
    const tr = el('tr');
    const who = event.personName
      || (event.outcome === 'stranger-event' ? 'stranger' : event.outcome === 'unlock' ? 'by hand' : '—');
    tr.title = event.reason || '';
    const face = el('td');
    if (event.snapshot) face.append(picture('/api/events/' + event.id + '/snapshot', 'events', '', 'Face at the door'));
    tr.append(el('td', when(event.time)), el('td', who), el('td', event.outcome.replace('-event', ''), event.outcome), face);
    body.append(tr);
  }
  olderEventsCursor = page.next;
  $('more-events').hidden = page.next === null;
  $('events-empty').hidden = body.children.length > 0;
}

document.addEventListener('DOMContentLoaded', () => {
  $('sign-in-form').addEventListener('submit', (e) => {
    e.preventDefault();
    signIn($('token').value.trim());
  });
  $('sign-out').addEventListener('click', () => signOut());
  $('add-person-form').addEventListener('submit', addPerson);
  $('upload-form').addEventListener('submit', uploadPhoto);
  $('capture').addEventListener('click', openCamera);
  $('capture-take').addEventListener('click', captureFromCamera);
  $('capture-close').addEventListener('click', closeCamera);
  $('unlock').addEventListener('click', unlockDoor);
  $('refresh-events').addEventListener('click', () => loadEvents(false));
  $('event-person').addEventListener('change', () => loadEvents(false));
  $('more-events').addEventListener('click', () => loadEvents(true));
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) signIn(saved);
});
