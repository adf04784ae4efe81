import { missingPermissions, REQUIRED_PERMISSIONS } from './consent-service';

describe('missingPermissions', () => {
  it('when no roles are granted, then every required permission is missing', () => {
    expect(missingPermissions([])).toEqual([...REQUIRED_PERMISSIONS]);
  });

  it('when the least-privilege roles are granted, then nothing is missing', () => {
    expect(missingPermissions(['Mail.ReadBasic.All', 'Calendars.ReadBasic.All', 'User.Read.All', 'GroupMember.Read.All'])).toEqual([]);
  });

  it('when broader roles are granted, then they cover the narrower ones', () => {
    expect(missingPermissions(['Mail.Read', 'Calendars.Read', 'Directory.Read.All'])).toEqual([]);
  });

  it('when only mail is granted, then calendar and directory permissions are missing', () => {
    expect(missingPermissions(['Mail.ReadBasic.All'])).toEqual(['Calendars.ReadBasic.All', 'User.Read.All', 'GroupMember.Read.All']);
  });
});
