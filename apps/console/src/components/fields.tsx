import { FormField } from '@utrecht/form-field-react';
import { FormLabel } from '@utrecht/form-label-react';
import { useId } from 'react';

/** A labelled native select in NL Design System style. */
export function SelectField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; text: string }[];
  name?: string;
}) {
  const id = useId();
  return (
    <FormField type="text">
      <div className="utrecht-form-field__label">
        <FormLabel htmlFor={id}>{props.label}</FormLabel>
      </div>
      <div className="utrecht-form-field__input">
        <select
          id={id}
          name={props.name}
          className="utrecht-select utrecht-select--html-select"
          value={props.value}
          onChange={(event) => props.onChange(event.target.value)}
        >
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.text}
            </option>
          ))}
        </select>
      </div>
    </FormField>
  );
}

/** The schools a staff member works for, as a select (hidden when there is only one). */
export function SchoolSelect(props: {
  schools: readonly string[];
  value: string;
  onChange: (v: string) => void;
}) {
  if (props.schools.length <= 1) return null;
  return (
    <SelectField
      label="School"
      value={props.value}
      onChange={props.onChange}
      options={props.schools.map((s) => ({ value: s, text: `School ${s}` }))}
    />
  );
}
