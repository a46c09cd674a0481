import request from 'supertest';
import type { TestApp } from './test-app.js';

/**
 * Registers clinicians (as nurses employed since 2015) and rooms in a clinic through the API, for suites that
 * book appointments or name microteam members: only a clinic's own registered clinicians and rooms may be
 * booked (another clinic's or an unknown id is 404). Returns the generated room ids by the given names.
 */
export async function registerStaff(
  t: TestApp,
  staff: { clinicians?: readonly string[]; rooms?: readonly string[] },
  clinicId = 'smertecenter-syd',
): Promise<Record<string, string>> {
  const token = await t.token(['secretary'], 'staff-setup', clinicId);
  for (const clinicianId of staff.clinicians ?? []) {
    const res = await request(t.server)
      .post('/clinicians')
      .set('Authorization', `Bearer ${token}`)
      .send({ clinicianId, professions: ['NURSE'], employmentStart: '2015-01-01' });
    if (res.status !== 201 && !(res.status === 409 && res.body.code === 'ALREADY_EXISTS'))
      throw new Error(`registering clinician ${clinicianId}: ${res.status} ${res.text}`);
  }
  const rooms: Record<string, string> = {};
  for (const name of staff.rooms ?? []) {
    const res = await request(t.server).post('/rooms').set('Authorization', `Bearer ${token}`).send({ name, seats: 4 });
    if (res.status !== 201) throw new Error(`registering room ${name}: ${res.status} ${res.text}`);
    rooms[name] = res.body.roomId;
  }
  return rooms;
}
