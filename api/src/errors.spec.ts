import { AppError, ERROR_CATALOGUE } from './errors';

describe('error catalogue', () => {
  it('when every code is listed, then each maps to a 4xx or 5xx status and a message', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
      expect(entry.message.length).toBeGreaterThan(5);
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
    }
  });

  it('when an AppError is built, then it carries code, status, details and cause', () => {
    const cause = new Error('root');
    const e = new AppError('CSV_MISSING_COLUMN', 'contacts.csv has no column "email"', { column: 'email' }, cause);
    expect(e).toMatchObject({ code: 'CSV_MISSING_COLUMN', status: 400, details: { column: 'email' } });
    expect(e.message).toBe('contacts.csv has no column "email"');
    expect(e.cause).toBe(cause);
  });

  it('when no message is given, then the catalogue message is used', () => {
    expect(new AppError('RUN_IN_PROGRESS').message).toBe(ERROR_CATALOGUE.RUN_IN_PROGRESS.message);
  });
});
