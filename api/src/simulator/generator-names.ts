/** Word lists for the seeded tenant generator. Plain data, no logic. */

export const FIRST_NAMES = [
  'Adele', 'Alex', 'Allan', 'Amara', 'Ben', 'Bianca', 'Carlos', 'Chen', 'Dana', 'Diego', 'Elena', 'Emil', 'Fatima', 'Felix',
  'Grace', 'Hannah', 'Henrik', 'Irene', 'Isaac', 'Jana', 'Jonas', 'Kai', 'Keiko', 'Lara', 'Lee', 'Lidia', 'Lukas', 'Maya',
  'Megan', 'Miguel', 'Nadia', 'Nestor', 'Olga', 'Omar', 'Patti', 'Pradeep', 'Quinn', 'Raj', 'Rosa', 'Sanjay', 'Sara',
  'Tomas', 'Uma', 'Victor', 'Wen', 'Xavier', 'Yara', 'Zoe',
];

export const LAST_NAMES = [
  'Adams', 'Berg', 'Costa', 'Diaz', 'Eriksen', 'Fischer', 'Garcia', 'Hansen', 'Ito', 'Jensen', 'Kowalski', 'Larsen', 'Meyer',
  'Novak', 'Okafor', 'Petrov', 'Quintero', 'Rossi', 'Schmidt', 'Tanaka', 'Urban', 'Varga', 'Wagner', 'Xu', 'Yilmaz', 'Zhang',
  'Bauer', 'Cohen', 'Dubois', 'Evans', 'Fontaine', 'Gupta', 'Horvat', 'Iqbal', 'Janssen', 'Kim', 'Lopez', 'Moreau', 'Nguyen',
  'Olsen', 'Patel', 'Ramos', 'Silva', 'Torres', 'Weber',
];

export const COMPANY_STEMS = [
  'Fabrikam', 'Northwind', 'Adatum', 'Tailspin', 'Wingtip', 'Litware', 'Proseware', 'Lamna', 'Relecloud', 'Woodgrove',
  'Alpine', 'Bellows', 'Coho', 'Consolidated', 'Fourth Coffee', 'Graphic Design', 'Humongous', 'Lucerne', 'Margie',
  'Nod', 'Southridge', 'Trey', 'VanArsdel', 'Wide World', 'Blue Yonder', 'Datum', 'Contour', 'Fincher', 'Giant Panda',
  'Liberty', 'Munson', 'Olympia', 'Phoenix', 'Rainier', 'Sequoia', 'Summit', 'Tidewater', 'Umbra', 'Vertex', 'Willow',
  'Yonder', 'Zephyr', 'Argent', 'Borealis', 'Cascade', 'Delta', 'Ember', 'Falcon', 'Granite', 'Harbor', 'Ionic',
  'Juniper', 'Keystone', 'Lattice', 'Meridian', 'Nimbus', 'Orchid', 'Pinnacle', 'Quarry', 'Redwood', 'Sterling', 'Titan',
];

export const COMPANY_SUFFIXES = ['Inc.', 'Ltd', 'GmbH', 'Group', 'Industries', 'Systems', 'Partners', 'Labs', 'Holdings', 'Retail', 'Logistics', 'Health'];

export const TLDS = ['com', 'com', 'com', 'de', 'co.uk', 'io', 'fr', 'nl', 'net'];

export const FREEMAIL_DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.com', 'hotmail.co.uk', 'gmx.de', 'icloud.com'];

export const SUBDOMAIN_PREFIXES = ['eu', 'us', 'uk', 'mail', 'apac'];

/** External domains that never resolve to an account (vendors, partners, cold outreach). */
export const UNMATCHED_DOMAINS = ['litware-partners.com', 'contractorshub.io', 'eventsworld.net', 'recruitfast.com', 'cloudvendor.io', 'printshop.de'];

export const NEWSLETTER_SENDERS = [
  'noreply@cloudvendor.io',
  'newsletter@eventsworld.net',
  'notifications@saasmetrics.com',
  'no-reply@travelbooking.com',
  'donotreply@payroll-provider.com',
  'mailer-daemon@contoso.com',
  'bounce-412@mailing.marketingcloud.com',
];

export const SPAM_DOMAINS = ['cheap-deals.biz', 'win-prizes.top', 'crypto-offer.xyz'];

export const ROOMS = ['Rainier', 'Baker', 'Olympus', 'Hood', 'Shasta', 'Whitney'];

export const SUBJECTS_CUSTOMER = ['Proposal follow-up', 'Renewal quote', 'Pricing question', 'Next steps', 'Contract redlines', 'Onboarding plan', 'Intro call', 'Support escalation', 'QBR agenda'];
export const SUBJECTS_INTERNAL = ['Pipeline update', 'Forecast', 'Deal desk review', 'Expense report', 'Team offsite', 'Territory planning', 'Lunch?'];

/**
 * Org contacts (mail contacts in the directory) that sales lists carry as members: partner
 * reps and an agency desk, at domains that never resolve to a customer account.
 */
export const PARTNER_CONTACTS: readonly (readonly [name: string, mail: string])[] = [
  ['Ana Reyes (Litware Partners)', 'ana.reyes@litware-partners.com'],
  ['Tom Berger (Printshop)', 'tom.berger@printshop.de'],
  ['Events Desk (Eventsworld)', 'desk@eventsworld.net'],
];

export const SUBJECTS_SHARED = ['Request for quote', 'Pricing inquiry', 'Order status', 'Invoice question', 'Demo request'];

/** What Teams chat items say (their body, which Rapport never requests). */
export const CHAT_LINES = [
  'Can you join the call in five minutes?',
  'Sent you the updated quote, let me know',
  'Quick question about the renewal terms',
  'Thanks, that works for us',
  'Running late, start without me',
  'Do you have the latest pricing sheet?',
];
