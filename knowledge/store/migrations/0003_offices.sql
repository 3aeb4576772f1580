-- Offices of the 168 units from the seed (knowledge/seed/offices): the
-- service desk's address stays in units.address; the UBND seat, the police,
-- where the details come from and what editors should check are new.
ALTER TABLE units ADD COLUMN ubnd_address TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN police_address TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN office_source TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN office_source_url TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN office_as_of TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN office_confidence TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN office_check TEXT NOT NULL DEFAULT '';
