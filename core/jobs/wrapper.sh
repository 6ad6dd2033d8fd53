#!/bin/sh
# placeholder: replaced by the job engine work
exit 1
