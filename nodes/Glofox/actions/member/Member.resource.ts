import { defineResource } from '../../../shared/router';
import * as findByEmail from './findByEmail.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const member = defineResource({ name: 'Member', operations: { findByEmail, get, getAll }, default: 'getAll' });
