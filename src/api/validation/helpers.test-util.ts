// Test helpers for the validation tables: render errors as the lines kubectl prints under
// `The X "y" is invalid:` (`<field>: <message>`).
import { fieldErrorString, type FieldError } from '../../machinery/field-errors.js';

export const lines = (errs: FieldError[]): string[] => errs.map(fieldErrorString);
