import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { asc, eq } from 'drizzle-orm';
import { saveCalendar } from '../../db/calendars';
import { calendars } from '../../db/schema';
import { validateCalendar, type BusinessCalendar } from '../../domain/calendar';
import { audit } from '../audit';
import { HttpProblem, notFound } from '../problem';
import { Obj } from '../schemas/common';

const Range = Type.Tuple([Type.String({ pattern: '^\\d{2}:\\d{2}$' }), Type.String({ pattern: '^\\d{2}:\\d{2}$' })]);
const Weekday = (day: string) => Type.Optional(Type.Array(Range, { maxItems: 12, description: `${day} opening hours, local time` }));
const CalendarBody = Obj({
  timeZone: Type.String({ minLength: 1, maxLength: 64, examples: ['Europe/Berlin'] }),
  weekly: Obj({ mon: Weekday('Monday'), tue: Weekday('Tuesday'), wed: Weekday('Wednesday'), thu: Weekday('Thursday'), fri: Weekday('Friday'), sat: Weekday('Saturday'), sun: Weekday('Sunday') }),
  holidays: Type.Array(Type.String({ format: 'date' }), { maxItems: 366 }),
});
const Calendar = Type.Object({ name: Type.String(), id: Type.String(), status: Type.Literal('active'), ...CalendarBody.properties });
const NameParams = Obj({ name: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });

const view = (name: string, definition: unknown) => ({ name, id: name, status: 'active' as const, ...(definition as BusinessCalendar) });

export const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.put('/calendars/:name', {
    config: { roles: ['admin'] },
    schema: { tags: ['settings'], description: 'Business-hours calendar for SLA clocks; chosen by the sla.calendar setting. Running tickets keep the calendar they started with.', params: NameParams, body: CalendarBody, response: { 200: Calendar } },
  }, async (request) => {
    const problems = validateCalendar(request.body);
    if (problems.length) throw new HttpProblem(400, 'the calendar is invalid', { errors: problems.map((message) => ({ path: '/', message })) }, 'validation');
    await saveCalendar(app.db, request.params.name, request.body, request.actor.id);
    await audit(app.db, request.actor, 'calendar.put', 'calendar', request.params.name);
    return view(request.params.name, request.body);
  });

  app.get('/calendars', {
    config: { roles: 'authenticated' },
    schema: { tags: ['settings'], response: { 200: Type.Array(Calendar) } },
  }, async () => (await app.db.select().from(calendars).orderBy(asc(calendars.name))).map((row) => view(row.name, row.definition)));

  app.get('/calendars/:name', {
    config: { roles: 'authenticated' },
    schema: { tags: ['settings'], params: NameParams, response: { 200: Calendar } },
  }, async (request) => {
    const [row] = await app.db.select().from(calendars).where(eq(calendars.name, request.params.name));
    if (!row) throw notFound('calendar', request.params.name);
    return view(row.name, row.definition);
  });
};
