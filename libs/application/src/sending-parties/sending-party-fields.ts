import {
  type Pupil,
  type ReportFieldSource,
  type ReportFieldValue,
  type SchoolSector,
  type SendingPartyStore,
  partyForSchool,
} from '#domain';

/** soortOpleiding from the pupil's sector: VO for secondary (incl. vso, pro), BVE for mbo; po has none. */
const SOORT_OF: Partial<Record<SchoolSector, 'VO' | 'BVE'>> = { vo: 'VO', vso: 'VO', pro: 'VO', mbo: 'BVE' };

/**
 * The report fields DUO expects that a report does not hold (docs/duo-rod-message.md, "where each field comes
 * from"): the woongemeente, the kind of education and the pupil's leerjaar, niveau and leerweg from the pupil
 * registry (the school system's data), and the school's location name, contact person, copy recipient and
 * education defaults from the school's entry in its sending party (the school's settings, kept by the board administrator). Only what is known is returned;
 * the privacy policy decides on every field like on the report's own.
 */
export class SendingPartyFieldSource implements ReportFieldSource {
  constructor(private readonly parties: Pick<SendingPartyStore, 'list'> | null) {}

  async fieldsFor(board: string, school: string, pupil: Pupil): Promise<Record<string, ReportFieldValue>> {
    const fields: Record<string, ReportFieldValue> = {};
    if (pupil.woongemeente) fields['pupil.woongemeente'] = pupil.woongemeente;
    const soort = SOORT_OF[pupil.sector];
    if (soort) fields['education.soort'] = soort;
    if (pupil.education?.leerjaar !== undefined) fields['education.leerjaar'] = pupil.education.leerjaar;
    if (pupil.education?.niveau !== undefined) fields['education.niveau'] = pupil.education.niveau;
    if (pupil.education?.leerweg !== undefined) fields['education.leerweg'] = pupil.education.leerweg;
    const party = this.parties ? partyForSchool(await this.parties.list(board), board, school) : null;
    const entry = party?.schools.find((s) => s.brin === school);
    if (!entry) return fields;
    const put = (path: string, value: string | undefined): void => {
      if (value !== undefined && value !== '') fields[path] = value;
    };
    put('school.locationName', entry.locationName);
    put('reporter.name', entry.contact?.name);
    put('reporter.role', entry.contact?.role);
    put('reporter.phone', entry.contact?.phone);
    put('reporter.email', entry.contact?.email);
    put('report.copyRecipient', entry.copyRecipient);
    put('education.soort', entry.education?.soort);
    put('education.vorm', entry.education?.vorm);
    put('education.name', entry.education?.name);
    return fields;
  }
}
