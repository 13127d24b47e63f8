'use strict';
// The enrollment page. Everything the server sends is shown through textContent, never as HTML.

const TOKEN_KEY = 'doorman.token';
const $ = (id) => document.getElementById(id);
let selectedPerson = null;
let people = [];
let olderEventsCursor = null;

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
  notify(message || '', Boolean(message));
}

// ---- people ----

async function loadPeople() {
  people = await api('GET', '/api/people');
  const list = $('people');
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
  li.append(name, photos);
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
  selectedPerson = person;
  $('person-name').textContent = person.name;
  $('person-panel').hidden = false;
  for (const li of $('people').children) li.classList.toggle('selected', li.dataset.id === String(person.id));
  const faces = await api('GET', '/api/people/' + person.id + '/faces');
  const list = $('photos');
  list.replaceChildren();
  for (const face of faces) {
    const li = el('li');
    li.className = 'photo';
    li.append(
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
  if (!older) body.replaceChildren();
  for (const event of page.events) {
    const tr = el('tr');
    const who = event.personName
      || (event.outcome === 'stranger-event' ? 'stranger' : event.outcome === 'unlock' ? 'by hand' : '—');
    tr.title = event.reason || '';
    tr.append(el('td', when(event.time)), el('td', who), el('td', event.outcome.replace('-event', ''), event.outcome));
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
  $('capture').addEventListener('click', captureFromCamera);
  $('unlock').addEventListener('click', unlockDoor);
  $('refresh-events').addEventListener('click', () => loadEvents(false));
  $('event-person').addEventListener('change', () => loadEvents(false));
  $('more-events').addEventListener('click', () => loadEvents(true));
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) signIn(saved);
});
